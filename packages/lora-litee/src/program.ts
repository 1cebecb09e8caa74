import { Command } from "commander";
import { registerBenchCommands } from "./commands/bench.js";
import { registerDataCommands } from "./commands/data.js";
import { registerDemoCommands } from "./commands/demo.js";
import { registerEnsembleCommands } from "./commands/ensemble.js";
import { registerExportCommands } from "./commands/export.js";
import { registerFixtureCommands } from "./commands/fixture.js";
import { registerJudgeCommands } from "./commands/judge.js";
import { registerPredictCommands } from "./commands/predict.js";
import { registerTrainCommands } from "./commands/train.js";
import { registerPullCommands } from "./commands/pull.js";

/** The `litee` command tree. Each command lives in `commands/<name>.ts` and registers itself here. */
export function buildProgram(): Command {
  const program = new Command("litee")
    .description("LoRA-LiteE preference models: data, training, ensembles, benchmarks.")
    .option("--verbose", "print stack traces with errors", false)
    // set before any subcommand exists: commander copies it into each subcommand at creation, so that help,
    // usage errors and `command.error(…)` anywhere in the tree come back to `runCli` as CommanderErrors
    .exitOverride();
  registerDemoCommands(program);
  registerDataCommands(program);
  registerFixtureCommands(program);
  registerTrainCommands(program);
  registerPredictCommands(program);
  registerEnsembleCommands(program);
  registerJudgeCommands(program);
  registerBenchCommands(program);
  registerExportCommands(program);
  registerPullCommands(program);
  return program;
}
