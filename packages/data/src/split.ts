import { InvalidOptionError } from "./errors.js";
import { createRandom, shuffle } from "./random.js";
import type { PreferenceTable } from "./schema.js";

/** Options for {@link kFold} and {@link holdout}. */
export interface SplitOptions {
  /** Seed of the shuffle; the same seed and table give the same split on every platform. Defaults to `0`. */
  seed?: number;
  /** Keep each value of this column in the same proportion in every part (e.g. `"label"`). Defaults to `undefined` (no stratification). */
  stratify?: string;
}

/** One train/test split, with the row indices (ascending) into the original table. */
export interface Split {
  /** The training rows, in original table order. */
  train: PreferenceTable;
  /** The test rows, in original table order. */
  test: PreferenceTable;
  /** Indices of the training rows in the original table, ascending. */
  trainIndices: Int32Array;
  /** Indices of the test rows in the original table, ascending. */
  testIndices: Int32Array;
}

/** Splits the rows into `k` folds; fold `i` is the test part of the i-th split. Fold sizes differ by at most one. */
export function kFold(table: PreferenceTable, k: number, options: SplitOptions = {}): Split[] {
  const n = table.numRows();
  if (!Number.isInteger(k) || k < 2 || k > n) throw new InvalidOptionError("k", k, `an integer from 2 to the row count ${n}`);
  const fold = new Int32Array(n);
  // Strata are laid end to end and dealt round-robin, continuing across strata: every fold gets its share of
  // each stratum (±1) and the folds' sizes stay within one of each other.
  let position = 0;
  for (const stratum of strata(table, options)) {
    for (const row of stratum) fold[row] = position++ % k;
  }
  return Array.from({ length: k }, (_, f) => splitBy(table, (row) => fold[row] === f));
}

/** Splits off `fraction` of the rows (rounded, per stratum when stratified) as the test part. */
export function holdout(table: PreferenceTable, fraction: number, options: SplitOptions = {}): Split {
  if (!(fraction > 0 && fraction < 1)) throw new InvalidOptionError("fraction", fraction, "a number strictly between 0 and 1");
  const inTest = new Uint8Array(table.numRows());
  for (const stratum of strata(table, options)) {
    const take = Math.round(stratum.length * fraction);
    for (let i = 0; i < take; i++) inTest[stratum[i]] = 1;
  }
  return splitBy(table, (row) => inTest[row] === 1);
}

/** Row indices grouped by the stratify column (one group without it), each group shuffled. */
function strata(table: PreferenceTable, options: SplitOptions): Int32Array[] {
  const { seed = 0, stratify, ...unknown } = options;
  const extra = Object.keys(unknown)[0];
  if (extra !== undefined) throw new InvalidOptionError(extra, "(unknown option)", "one of seed, stratify");
  if (!Number.isInteger(seed)) throw new InvalidOptionError("seed", seed, "an integer");
  const n = table.numRows();
  const random = createRandom(seed);
  if (stratify === undefined) return [shuffle(Int32Array.from({ length: n }, (_, i) => i), random)];
  if (!table.columnNames().includes(stratify)) {
    throw new InvalidOptionError("stratify", stratify, `a column of the table (${table.columnNames().join(", ")})`);
  }
  const values = table.array(stratify) as ArrayLike<unknown>;
  const groups = new Map<unknown, number[]>();
  for (let row = 0; row < n; row++) {
    const group = groups.get(values[row]);
    if (group) group.push(row);
    else groups.set(values[row], [row]);
  }
  // Strata in a fixed order (sorted by value) so that the split does not depend on which value came first.
  const keys = [...groups.keys()].sort((x, y) => String(x).localeCompare(String(y)));
  return keys.map((key) => shuffle(Int32Array.from(groups.get(key)!), random));
}

function splitBy(table: PreferenceTable, isTest: (row: number) => boolean): Split {
  const testRows: number[] = [];
  const trainRows: number[] = [];
  for (let row = 0; row < table.numRows(); row++) (isTest(row) ? testRows : trainRows).push(row);
  const trainIndices = Int32Array.from(trainRows);
  const testIndices = Int32Array.from(testRows);
  return { train: table.reify(trainRows), test: table.reify(testRows), trainIndices, testIndices };
}
