import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { promisify } from "node:util";
import { compareRuns, formatBenchTable, machineInfo, SUITE_NAMES, SUITES, type BenchRun, type SuiteName, type SuiteResult } from "@lora-litee/bench";
import type { Command } from "commander";

const run = promisify(execFile);

interface BenchCliOptions {
  json: boolean;
  compare?: string;
  out?: string;
  quick: boolean;
  isolate: boolean;
}

/** `litee bench <suite|all>`: speed and memory, as a table or one JSON object. */
export function registerBenchCommands(program: Command): void {
  program
    .command("bench <suites...>")
    .description(`run benchmark suites: ${SUITE_NAMES.join(", ")}, or all`)
    .option("--json", "print exactly one JSON object (machine header + results) on stdout", false)
    .option("--compare <baseline.json>", "add ratios against a run saved with --json or --out")
    .option("--out <file>", "also save the run as JSON")
    .option("--quick", "tiny shapes: checks that suites run; numbers are not comparable", false)
    .option("--no-isolate", "run suites in this process (peak RSS then covers every suite so far)")
    .addHelpText(
      "after",
      `\nSuites:\n${SUITE_NAMES.map((n) => `  ${n.padEnd(11)} ${SUITES[n].description}`).join("\n")}\n\nExamples:\n  litee bench all --json > run.json\n  litee bench data lora --compare run.json\n`,
    )
    .action(async function (this: Command, names: string[], options: BenchCliOptions) {
      const suites = names.includes("all") ? SUITE_NAMES : names;
      const unknown = suites.filter((n) => !(SUITE_NAMES as string[]).includes(n));
      if (unknown.length) this.error(`error: unknown suite ${unknown.join(", ")}; expected ${SUITE_NAMES.join(", ")} or all`, { exitCode: 2 });
      const results: SuiteResult[] = [];
      for (const name of suites as SuiteName[]) {
        if (!options.json) process.stderr.write(`litee bench: ${name}…\n`);
        results.push(options.isolate && suites.length > 1 ? await runIsolated(name, options.quick) : await SUITES[name].run({ quick: options.quick }));
      }
      const benchRun: BenchRun = { machine: machineInfo(), startedAt: new Date().toISOString(), results };
      if (options.out) await writeFile(options.out, `${JSON.stringify(benchRun, null, 2)}\n`);
      if (options.json) {
        process.stdout.write(`${JSON.stringify(benchRun)}\n`);
        return;
      }
      const baseline = options.compare ? (JSON.parse(await readFile(options.compare, "utf8")) as BenchRun) : undefined;
      process.stdout.write(formatBenchTable(benchRun, baseline ? compareRuns(benchRun, baseline) : []));
    });
}

/** Runs one suite in a fresh process of this CLI, so its peak RSS is its own. */
async function runIsolated(name: SuiteName, quick: boolean): Promise<SuiteResult> {
  const args = [process.argv[1], "bench", name, "--json", ...(quick ? ["--quick"] : [])];
  const { stdout } = await run(process.execPath, args, { maxBuffer: 64 << 20 });
  return (JSON.parse(stdout) as BenchRun).results[0];
}

