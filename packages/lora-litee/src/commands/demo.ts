import { resolve, join } from "node:path";
import { writeFixture, type Device } from "@lora-litee/backend";
import { MEMBER_KINDS, STRATEGY_NAMES, type MemberKind, type StrategyName } from "@lora-litee/ensemble";
import { Option, type Command } from "commander";
import { bundledTokenizerDir } from "../assets-path.js";
import { classicalMember, type DemoMember } from "../demo/demo-member.js";
import { loraMember } from "../demo/lora-member.js";
import { runDemo } from "../demo/run-demo.js";
import { formatDemoTable } from "../demo/summary-table.js";

interface DemoCliOptions {
  out: string;
  data?: string;
  folds: string;
  seed: string;
  strategy: StrategyName;
  members: string;
  lora: boolean;
  model?: string;
  device: Device;
  epochs: string;
  maxLength: string;
}

const FIXTURE_CAVEAT =
  "random-init fixture: its base model has never seen language, so only the LoRA factors and the head learn, from a few hundred rows; it shows the pipeline runs end to end and is not expected to beat the prior. Pass --model with a real Hugging Face model folder for a real member.";

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
    .option("--no-lora", "leave out the LoRA member")
    .option("--model <dir>", "Hugging Face model folder for the LoRA member (default: a small random-init Llama fixture with the bundled tokenizer)")
    .addOption(new Option("--device <device>", "where the LoRA member trains").choices(["cpu", "webgpu", "cuda"]).default("cpu"))
    .option("--epochs <n>", "LoRA epochs per fit", "2")
    .option("--max-length <n>", "token budget per pair for the LoRA member", "256")
    .addHelpText("after", "\nExamples:\n  litee demo\n  litee demo --out /tmp/demo --members length,tfidf --strategy mean --no-lora\n  litee demo --model ./SmolLM2-135M --device webgpu\n")
    .action(async function (this: Command, options: DemoCliOptions) {
      const kinds = options.members.split(",").map((k) => k.trim());
      const unknown = kinds.filter((k) => !(MEMBER_KINDS as string[]).includes(k));
      if (unknown.length) this.error(`error: --members: unknown ${unknown.join(", ")}; expected some of ${MEMBER_KINDS.join(", ")}`, { exitCode: 2 });
      const folds = positiveInteger(this, "--folds", options.folds, 2);
      const members: DemoMember[] = (kinds as MemberKind[]).map(classicalMember);
      if (options.lora) members.push(await demoLoraMember(options, positiveInteger(this, "--epochs", options.epochs, 1), positiveInteger(this, "--max-length", options.maxLength, 16)));
      const result = await runDemo({
        outDir: options.out,
        ...(options.data ? { data: options.data } : {}),
        folds,
        seed: positiveInteger(this, "--seed", options.seed, 0),
        strategy: options.strategy,
        members,
        onProgress: (message) => process.stderr.write(`litee demo: ${message}\n`),
      });
      process.stdout.write(formatDemoTable(result.report));
      process.stdout.write(`\nreport: ${result.reportPath}\nmetrics: ${result.metricsPath}\n`);
    });
}

/** The LoRA member on `--model`, or on a fixture written into the output folder. */
async function demoLoraMember(options: DemoCliOptions, epochs: number, maxLength: number): Promise<DemoMember> {
  const out = resolve(options.out);
  let modelDir = options.model;
  if (!modelDir) {
    modelDir = join(out, "fixture-model");
    process.stderr.write(`litee demo: writing a random-init Llama fixture to ${modelDir}\n`);
    await writeFixture(modelDir, { tokenizerDir: bundledTokenizerDir(), hidden: 64, layers: 2, heads: 4, kvHeads: 2, intermediate: 128, seed: 0 });
  }
  return loraMember({
    modelDir,
    workDir: join(out, "lora-runs"),
    device: options.device,
    epochs,
    maxLength,
    ...(options.model ? {} : { caveat: FIXTURE_CAVEAT, name: "lora (fixture)" }),
  });
}

function positiveInteger(command: Command, flag: string, text: string, min: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) command.error(`error: ${flag} must be an integer >= ${min}, got "${text}"`, { exitCode: 2 });
  return n;
}
