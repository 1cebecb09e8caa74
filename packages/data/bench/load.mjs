// Load benchmark: builds a 57,477-row arena CSV by repeating the bundled sample, then loads it with
// @lora-litee/data (built dist) and with Python csv + json, each in a fresh process so that peak RSS is its own.
// Usage (after `pnpm build`): node bench/load.mjs [--rows 57477] [--source file.csv] [--runs 3]
// Prints one JSON object.
import { execFileSync } from "node:child_process";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import process from "node:process";
import { parseArgs } from "node:util";

const here = dirname(fileURLToPath(import.meta.url));
const nodeEntry = join(here, "../dist/node.js");
const { arenaSamplePath, writeRepeatedArena } = await import(nodeEntry);

const { values } = parseArgs({
  options: {
    rows: { type: "string", default: "57477" },
    source: { type: "string", default: arenaSamplePath() },
    runs: { type: "string", default: "3" },
  },
});
const rows = Number(values.rows);
const runs = Number(values.runs);
const dir = await mkdtemp(join(tmpdir(), "litee-data-bench-"));
const file = join(dir, "arena.csv");
try {
  await writeRepeatedArena(values.source, file, rows);
  const { size } = await stat(file);
  const measureNode = `const { measureArenaLoad } = await import(${JSON.stringify(nodeEntry)});
    process.stdout.write(JSON.stringify(await measureArenaLoad(${JSON.stringify(file)})));`;
  const node = [];
  const python = [];
  for (let run = 0; run < runs; run++) {
    node.push(JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", measureNode], { encoding: "utf8" })));
    python.push(JSON.parse(execFileSync("python3", [join(here, "python_csv_json.py"), file], { encoding: "utf8" })));
  }
  // Best of the runs: the machine is shared, and the fastest run is the least disturbed one.
  const best = (results) => results.reduce((a, b) => (b.rowsPerSecond > a.rowsPerSecond ? b : a));
  const n = best(node);
  const py = best(python);
  const summary = {
    file: { rows, bytes: size, source: values.source },
    runs,
    node: { rowsPerSecond: n.rowsPerSecond, seconds: n.seconds, peakRssBytes: n.peakRssBytes, rows: n.rows },
    python: { rowsPerSecond: py.rowsPerSecond, seconds: py.seconds, peakRssBytes: py.peakRssBytes, rows: py.rows },
    speedupOverPython: n.rowsPerSecond / py.rowsPerSecond,
  };
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
