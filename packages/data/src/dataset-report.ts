import type { ProblemsReport } from "./problems.js";
import type { PreferenceTable } from "./schema.js";
import type { TextTokenizer } from "./tokenizer.js";
import type { DatasetFormat } from "./dataset-format.js";

/** Distribution of a per-row length. Percentiles interpolate linearly between order statistics (NumPy's default). */
export interface LengthStats {
  /** Arithmetic mean; 0 when there are no rows. */
  mean: number;
  /** Median (50th percentile). */
  p50: number;
  /** 90th percentile. */
  p90: number;
  /** 95th percentile. */
  p95: number;
  /** 99th percentile. */
  p99: number;
  /** Largest value. */
  max: number;
}

/** Per-part turn counts. */
export interface TurnStats {
  /** Mean number of turns per row. */
  mean: number;
  /** Most turns in one row. */
  max: number;
  /** Rows with more than one turn. */
  multiTurnRows: number;
}

/** What `litee data inspect` shows. */
export interface DatasetReport {
  /** Source name, as recorded in the problems report. */
  file: string;
  /** Input layout the file was loaded as. */
  format: DatasetFormat;
  /** Number of rows loaded. */
  rows: number;
  /** Number of rows with each label. */
  labels: { a: number; b: number; tie: number; unlabelled: number };
  /** Turns per row, for the prompt and each response. */
  turns: { prompt: TurnStats; responseA: TurnStats; responseB: TurnStats };
  /** Characters per part (turns summed). */
  chars: { prompt: LengthStats; responseA: LengthStats; responseB: LengthStats };
  /** Tokens per part (turns tokenized separately, no special tokens); `null` without a tokenizer. */
  tokens: { tokenizer: string; prompt: LengthStats; responseA: LengthStats; responseB: LengthStats } | null;
  /** Everything the loader repaired, counted or skipped. */
  problems: ProblemsReport;
}

const PARTS = ["prompt", "responseA", "responseB"] as const;

/** Summarises a loaded table; tokenizes every turn when a tokenizer is given. */
export function describeDataset(
  table: PreferenceTable,
  problems: ProblemsReport,
  format: DatasetFormat,
  tokenizer?: TextTokenizer,
): DatasetReport {
  const labels = { a: 0, b: 0, tie: 0, unlabelled: 0 };
  const keys = ["unlabelled", "a", "b", "tie"] as const;
  for (const label of table.array("label", Int8Array) as Int8Array) labels[keys[label + 1]] += 1;
  const columns = Object.fromEntries(PARTS.map((part) => [part, table.array(part) as string[][]])) as Record<
    (typeof PARTS)[number],
    string[][]
  >;
  const per = <T>(f: (rows: string[][]) => T) =>
    Object.fromEntries(PARTS.map((part) => [part, f(columns[part])])) as Record<(typeof PARTS)[number], T>;
  return {
    file: problems.file,
    format,
    rows: table.numRows(),
    labels,
    turns: per(turnStats),
    chars: per((rows) => lengthStats(rows, (turn) => turn.length)),
    tokens: tokenizer
      ? { tokenizer: tokenizer.name, ...per((rows) => lengthStats(rows, (turn) => tokenizer.encode(turn).length)) }
      : null,
    problems,
  };
}

function turnStats(rows: string[][]): TurnStats {
  let total = 0;
  let max = 0;
  let multiTurnRows = 0;
  for (const turns of rows) {
    total += turns.length;
    max = Math.max(max, turns.length);
    if (turns.length > 1) multiTurnRows += 1;
  }
  return { mean: rows.length > 0 ? total / rows.length : 0, max, multiTurnRows };
}

function lengthStats(rows: string[][], measure: (turn: string) => number): LengthStats {
  const lengths = new Float64Array(rows.length);
  rows.forEach((turns, i) => {
    for (const turn of turns) lengths[i] += measure(turn);
  });
  return summarize(lengths);
}

/** Mean, percentiles and max of `values` (which it sorts in place). */
export function summarize(values: Float64Array): LengthStats {
  const n = values.length;
  if (n === 0) return { mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, max: 0 };
  values.sort();
  const at = (q: number) => {
    const pos = q * (n - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(lo + 1, n - 1);
    return values[lo] + (values[hi] - values[lo]) * (pos - lo);
  };
  let sum = 0;
  for (const v of values) sum += v;
  return { mean: sum / n, p50: at(0.5), p90: at(0.9), p95: at(0.95), p99: at(0.99), max: values[n - 1] };
}
