import { PredictionFileError } from "../errors.js";

/** The probability columns of a Kaggle submission, in class order (0 = A wins, 1 = B wins, 2 = tie). */
export const PREDICTION_COLUMNS = ["winner_model_a", "winner_model_b", "winner_tie"] as const;

/** Number of classes of a preference prediction. */
export const CLASSES = 3;

/** How far a row's probabilities may sum from 1. */
export const SUM_TOLERANCE = 1e-3;

/** One member's predictions: an id per row and three probabilities per row (flat, row-major). */
export interface PredictionTable {
  /** Where the table came from (a file path or a member name); errors name it. */
  readonly source: string;
  /** Row ids, unique and non-empty, in row order. */
  readonly ids: readonly string[];
  /** Row-major `ids.length × 3`. */
  readonly probs: Float64Array;
}

/** True labels by id, as a label file gives them (0 = A wins, 1 = B wins, 2 = tie). */
export interface LabelTable {
  /** Where the labels came from (usually a file path); errors name it. */
  readonly source: string;
  /** Row ids, in row order. */
  readonly ids: readonly string[];
  /** Class index per row (0 = A wins, 1 = B wins, 2 = tie), aligned with `ids`. */
  readonly labels: Uint8Array;
}

/**
 * Builds a prediction table, checking every row: ids unique and non-empty; probabilities finite, non-negative
 * and summing to 1 ± 1e-3. Throws a {@link PredictionFileError} naming the source and the first bad row (1-based).
 */
export function predictionTable(source: string, ids: readonly string[], probs: Float64Array): PredictionTable {
  if (probs.length !== ids.length * CLASSES) {
    throw new PredictionFileError(source, undefined, `${ids.length} ids but ${probs.length / CLASSES} probability rows`);
  }
  const seen = new Set<string>();
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (id === "") throw new PredictionFileError(source, i + 1, "empty id");
    if (seen.has(id)) throw new PredictionFileError(source, i + 1, `duplicate id ${JSON.stringify(id)}`);
    seen.add(id);
    let sum = 0;
    for (let k = 0; k < CLASSES; k++) {
      const p = probs[i * CLASSES + k];
      if (Number.isNaN(p) || !Number.isFinite(p) || p < 0) {
        throw new PredictionFileError(source, i + 1, `${PREDICTION_COLUMNS[k]} is ${p}, expected a probability >= 0`);
      }
      sum += p;
    }
    if (Math.abs(sum - 1) > SUM_TOLERANCE) {
      throw new PredictionFileError(source, i + 1, `probabilities sum to ${sum}, expected 1 ± ${SUM_TOLERANCE}`);
    }
  }
  return { source, ids, probs };
}

/** Puts every table in the row order of the first; their id sets must be equal. */
export function alignPredictions(tables: readonly PredictionTable[]): { ids: readonly string[]; members: Float64Array[] } {
  if (tables.length === 0) throw new PredictionFileError("predictions", undefined, "no prediction tables given");
  const reference = tables[0];
  const members = tables.map((table) => {
    if (table === reference) return table.probs;
    const row = rowIndex(table);
    const aligned = new Float64Array(reference.ids.length * CLASSES);
    reference.ids.forEach((id, i) => {
      const at = row.get(id);
      if (at === undefined) {
        throw new PredictionFileError(table.source, undefined, `has no row for id ${JSON.stringify(id)} (row ${i + 1} of ${reference.source})`);
      }
      aligned.set(table.probs.subarray(at * CLASSES, at * CLASSES + CLASSES), i * CLASSES);
    });
    if (table.ids.length !== reference.ids.length) {
      const known = new Set(reference.ids);
      const extra = table.ids.findIndex((id) => !known.has(id));
      throw new PredictionFileError(table.source, extra + 1, `id ${JSON.stringify(table.ids[extra])} is not in ${reference.source}`);
    }
    return aligned;
  });
  return { ids: reference.ids, members };
}

/** The labels of `ids`, in that order; every id must have a label. */
export function labelsFor(ids: readonly string[], labels: LabelTable): Uint8Array {
  const row = rowIndex(labels);
  const out = new Uint8Array(ids.length);
  ids.forEach((id, i) => {
    const at = row.get(id);
    if (at === undefined) {
      throw new PredictionFileError(labels.source, undefined, `has no label for id ${JSON.stringify(id)} (prediction row ${i + 1})`);
    }
    out[i] = labels.labels[at];
  });
  return out;
}

function rowIndex(table: { ids: readonly string[] }): Map<string, number> {
  const row = new Map<string, number>();
  table.ids.forEach((id, i) => row.set(id, i));
  return row;
}
