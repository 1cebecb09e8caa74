import type { Comparison } from "./compare.js";
import type { BenchRun } from "./result.js";

const number = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(3));

/** A plain-text table of a run: one line per case and metric, with the ratio to a baseline when given. */
export function formatBenchTable(run: BenchRun, comparisons: readonly Comparison[] = []): string {
  const ratio = new Map(comparisons.map((c) => [`${c.suite}\u0000${c.case}\u0000${c.metric}`, c.ratio]));
  const rows: string[][] = [];
  for (const r of run.results) {
    for (const c of r.cases) {
      for (const [metric, value] of Object.entries(c.metrics)) {
        const q = ratio.get(`${r.suite}\u0000${c.name}\u0000${metric}`);
        rows.push([r.suite, c.name, metric, number(value), q === undefined ? "" : `${q.toFixed(2)}×`]);
      }
    }
  }
  const header = ["suite", "case", "metric", "value", comparisons.length ? "vs baseline" : ""];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i >= 3 ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join("  ").trimEnd();
  const notes = run.results.flatMap((r) => [`${r.suite}: peak RSS ${r.peakRssMiB.toFixed(0)} MiB`, ...r.notes.map((n) => `${r.suite}: ${n}`)]);
  const m = run.machine;
  return [`${m.cpuModel} × ${m.cores}, ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}-${m.arch}`, line(header), ...rows.map(line), "", ...notes, ""].join("\n");
}
