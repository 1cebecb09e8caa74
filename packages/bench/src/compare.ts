import type { BenchRun } from "./result.js";

/** One metric of one case, now and in the baseline. */
export interface Comparison {
  /** Suite name, e.g. `train-step`. */
  suite: string;
  /** Case name within the suite. */
  case: string;
  /** Metric name, e.g. `tokensPerSecond`. */
  metric: string;
  /** Value in the run being compared. */
  current: number;
  /** Value in the saved baseline run. */
  baseline: number;
  /** current / baseline; for metrics where lower is better (`…Ms`, `…MiB`) read it the other way round. */
  ratio: number;
}

/** Pairs every metric present in both runs (matched by suite, case name and metric name). */
export function compareRuns(current: BenchRun, baseline: BenchRun): Comparison[] {
  const base = new Map<string, number>();
  for (const r of baseline.results) {
    for (const c of r.cases) for (const [m, v] of Object.entries(c.metrics)) base.set(`${r.suite}\u0000${c.name}\u0000${m}`, v);
  }
  const out: Comparison[] = [];
  for (const r of current.results) {
    for (const c of r.cases) {
      for (const [metric, value] of Object.entries(c.metrics)) {
        const b = base.get(`${r.suite}\u0000${c.name}\u0000${metric}`);
        if (b === undefined) continue;
        out.push({ suite: r.suite, case: c.name, metric, current: value, baseline: b, ratio: b === 0 ? Number.NaN : value / b });
      }
    }
  }
  return out;
}
