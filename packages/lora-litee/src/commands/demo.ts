import { MEMBER_KINDS, STRATEGY_NAMES, type MemberKind, type StrategyName } from "@lora-litee/ensemble";
import { Option, type Command } from "commander";
import { classicalMember } from "../demo/demo-member.js";
import { runDemo } from "../demo/run-demo.js";
import { formatDemoTable } from "../demo/summary-table.js";

interface DemoCliOptions {
  out: string;
  data?: string;
  folds: string;
  seed: string;
  strategy: StrategyName;
  members: string;
}

/** `litee demo`: the whole LoRA-LiteE pipeline on the bundled real arena sample, with an HTML report. */
export function registerDemoCommands(program: Command): void {
  program
    .command("demo")
    .description("cross-validate members, fit the ensemble, score on a held-out split and write report.html + metrics.json")
    .option("--out <dir>", "output folder", "litee-demo")
    .option("--data <file>", "arena CSV to use instead of the bundled 200-row real sample")
    .option("--folds <k>", "cross-validation folds", "5")
    .option("--seed <n>", "seed of splits and members", "0")
    .addOption(new Option("--strategy <name>", "ensemble strategy").choices(STRATEGY_NAMES).default("optimize"))
    .option("--members <list>", `classical members, comma-separated (${MEMBER_KINDS.join(", ")})`, MEMBER_KINDS.join(","))
    .addHelpText("after", "\nExamples:\n  litee demo\n  litee demo --out /tmp/demo --members length,tfidf --strategy mean\n")
    .action(async function (this: Command, options: DemoCliOptions) {
      const kinds = options.members.split(",").map((k) => k.trim());
      const unknown = kinds.filter((k) => !(MEMBER_KINDS as string[]).includes(k));
      if (unknown.length) this.error(`error: --members: unknown ${unknown.join(", ")}; expected some of ${MEMBER_KINDS.join(", ")}`, { exitCode: 2 });
      const folds = positiveInteger(this, "--folds", options.folds, 2);
      const result = await runDemo({
        outDir: options.out,
        ...(options.data ? { data: options.data } : {}),
        folds,
        seed: positiveInteger(this, "--seed", options.seed, 0),
        strategy: options.strategy,
        members: (kinds as MemberKind[]).map(classicalMember),
        onProgress: (message) => process.stderr.write(`litee demo: ${message}\n`),
      });
      process.stdout.write(formatDemoTable(result.report));
      process.stdout.write(`\nreport: ${result.reportPath}\nmetrics: ${result.metricsPath}\n`);
    });
}

function positiveInteger(command: Command, flag: string, text: string, min: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) command.error(`error: ${flag} must be an integer >= ${min}, got "${text}"`, { exitCode: 2 });
  return n;
}
