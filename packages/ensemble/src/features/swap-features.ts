import { EnsembleInputError } from "../errors.js";
import type { DenseMatrix } from "../models/feature-matrix.js";
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
