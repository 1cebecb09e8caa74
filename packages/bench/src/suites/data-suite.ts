import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { arenaSamplePath, measureArenaLoad, writeRepeatedArena } from "@lora-litee/data/node";
import { peakRssMiB } from "../machine.js";
import type { CaseResult } from "../result.js";
import type { Suite } from "./suite.js";

/** The full Kaggle training set's row count: the size the loader must stream in bounded memory. */
const FULL_ROWS = 57_477;

// Python's csv + json on the same file: the reference the data issue sets.
const PYTHON_REFERENCE = `
import csv, json, sys, time
csv.field_size_limit(sys.maxsize)
t = time.perf_counter(); n = 0
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    for row in csv.DictReader(f):
        json.loads(row["prompt"]); json.loads(row["response_a"]); json.loads(row["response_b"]); n += 1
print(json.dumps({"rows": n, "seconds": time.perf_counter() - t}))
`;

function pythonReference(file: string): CaseResult | undefined {
  try {
    const out = JSON.parse(execFileSync("python3", ["-c", PYTHON_REFERENCE, file], { encoding: "utf8", maxBuffer: 1 << 20 }));
    return { name: "python csv+json", metrics: { rowsPerSecond: out.rows / out.seconds, seconds: out.seconds }, info: { reference: true } };
  } catch {
    return undefined;
  }
}

export const dataSuite: Suite = {
  description: `arena CSV load: rows/s and peak RSS on a ${FULL_ROWS}-row file made by repeating the bundled sample, beside Python csv+json`,
  async run({ quick }) {
    const rows = quick ? 2_000 : FULL_ROWS;
    const dir = await mkdtemp(join(tmpdir(), "litee-bench-data-"));
    try {
      const file = join(dir, "arena.csv");
      await writeRepeatedArena(arenaSamplePath(), file, rows);
      const load = await measureArenaLoad(file);
      const cases: CaseResult[] = [
        {
          name: `loadArena ${rows} rows`,
          metrics: { rowsPerSecond: load.rowsPerSecond, megabytesPerSecond: load.megabytesPerSecond, seconds: load.seconds, peakRssMiB: load.peakRssBytes / 2 ** 20 },
          info: { bytes: load.bytes, rows: load.rows },
        },
      ];
      const python = pythonReference(file);
      if (python) cases.push(python);
      const notes = python ? [`loadArena / python = ${(load.rowsPerSecond / python.metrics.rowsPerSecond).toFixed(2)}×`] : ["python3 not found: no reference"];
      return { suite: "data", cases, peakRssMiB: peakRssMiB(), notes };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
