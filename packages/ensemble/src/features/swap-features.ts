import { EnsembleInputError } from "../errors.js";
import type { DenseMatrix } from "../models/feature-matrix.js";
import type { LabelledPair } from "./pair-text.js";
import type { FeatureInfo } from "./rich-features.js";

/** The feature rows of the A/B-swapped pairs: `negate` columns change sign, the others stay. Exact in IEEE arithmetic. */
export function swapFeatureRows(x: DenseMatrix, columns: readonly FeatureInfo[]): DenseMatrix {
  if (columns.length !== x.cols) {
    throw new EnsembleInputError(`swap features: ${columns.length} column descriptions for a matrix of ${x.cols} columns`);
  }
  const data = Float64Array.from(x.data);
  columns.forEach((c, j) => {
    if (c.swap !== "negate") return;
    for (let i = j; i < data.length; i += x.cols) data[i] = -data[i];
  });
  return { kind: "dense", rows: x.rows, cols: x.cols, data };
}

/** Labels of swapped pairs: A-wins ↔ B-wins, ties stay. */
export function swapLabels(labels: Uint8Array): Uint8Array {
  return labels.map((y) => (y === 2 ? 2 : 1 - y));
}

/** Rows followed by their swaps, with matching labels: the training set of a swap-augmented member. */
export function withSwaps(
  x: DenseMatrix,
  labels: Uint8Array,
  columns: readonly FeatureInfo[],
): { x: DenseMatrix; labels: Uint8Array } {
  const swapped = swapFeatureRows(x, columns);
  const data = new Float64Array(2 * x.data.length);
  data.set(x.data);
  data.set(swapped.data, x.data.length);
  const both = new Uint8Array(2 * labels.length);
  both.set(labels);
  both.set(swapLabels(labels), labels.length);
  return { x: { kind: "dense", rows: 2 * x.rows, cols: x.cols, data }, labels: both };
}

/** The labels of training pairs as bytes, after checking each is 0 (A), 1 (B) or 2 (tie). */
export function pairLabels(rows: readonly LabelledPair[], member: string): Uint8Array {
  if (rows.length === 0) throw new EnsembleInputError(`${member}: no training rows`);
  return Uint8Array.from(rows, (row, i) => {
    const y = row.label;
    if (y !== 0 && y !== 1 && y !== 2) {
      throw new EnsembleInputError(
        `${member}: row ${i}${row.id === undefined ? "" : ` (id ${row.id})`} has label ${y}; expected 0 (A), 1 (B) or 2 (tie)`,
      );
    }
    return y;
  });
}
