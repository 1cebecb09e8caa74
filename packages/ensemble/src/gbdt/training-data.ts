import type { DenseMatrix } from "../models/feature-matrix.js";
import { GbdtInputError } from "./errors.js";
import { shuffleInPlace } from "./shuffle.js";
import type { Rng } from "@lora-litee/lora";

/** Checks shape and finiteness of `x` (naming the first bad row and column). */
export function checkFeatureMatrix(x: DenseMatrix, nFeatures?: number): void {
  if (!Number.isInteger(x.rows) || !Number.isInteger(x.cols) || x.data.length !== x.rows * x.cols) {
    throw new GbdtInputError(`feature matrix of ${x.rows} × ${x.cols} holds ${x.data.length} values; expected rows × cols`);
  }
  if (nFeatures !== undefined && x.cols !== nFeatures) {
    throw new GbdtInputError(`feature matrix has ${x.cols} columns; the model was trained on ${nFeatures}`);
  }
  for (let i = 0; i < x.data.length; i++) {
    if (!Number.isFinite(x.data[i])) {
      throw new GbdtInputError(
        `feature matrix row ${Math.floor(i / x.cols)}, column ${i % x.cols} is ${x.data[i]}; expected a finite number`,
      );
    }
  }
}

/** Labels as bytes after checking there is one per row and each is an integer class in [0, nClasses). */
export function checkLabels(labels: ArrayLike<number>, rows: number, nClasses: number): Uint8Array {
  if (!Number.isInteger(nClasses) || nClasses < 2 || nClasses > 255) {
    throw new GbdtInputError(`nClasses = ${nClasses}; expected an integer in [2, 255]`);
  }
  if (labels.length !== rows) throw new GbdtInputError(`${labels.length} labels for ${rows} rows; expected one per row`);
  const out = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    const y = labels[i];
    if (!Number.isInteger(y) || y < 0 || y >= nClasses) {
      throw new GbdtInputError(`label of row ${i} is ${y}; expected an integer class in [0, ${nClasses})`);
    }
    out[i] = y;
  }
  return out;
}

/**
 * Holds out about `fraction` of each class (at least one row of a class with two or more, so small classes are
 * still seen in validation). Both index lists come back sorted.
 */
export function stratifiedHoldout(
  labels: Uint8Array,
  nClasses: number,
  fraction: number,
  rng: Rng,
): { train: Uint32Array; valid: Uint32Array } {
  const train: number[] = [];
  const valid: number[] = [];
  for (let c = 0; c < nClasses; c++) {
    const members: number[] = [];
    for (let i = 0; i < labels.length; i++) if (labels[i] === c) members.push(i);
    const shuffled = Uint32Array.from(members);
    shuffleInPlace(shuffled, rng);
    const nValid = fraction > 0 && shuffled.length >= 2 ? Math.max(1, Math.round(fraction * shuffled.length)) : 0;
    for (let j = 0; j < shuffled.length; j++) (j < nValid ? valid : train).push(shuffled[j]);
  }
  return { train: Uint32Array.from(train).sort(), valid: Uint32Array.from(valid).sort() };
}

/** Copies the listed rows into a new matrix. */
export function takeRows(x: DenseMatrix, rows: Uint32Array): DenseMatrix {
  const data = new Float64Array(rows.length * x.cols);
  for (let i = 0; i < rows.length; i++) data.set(x.data.subarray(rows[i] * x.cols, (rows[i] + 1) * x.cols), i * x.cols);
  return { kind: "dense", rows: rows.length, cols: x.cols, data };
}

/** Copies the listed labels. */
export function takeLabels(labels: Uint8Array, rows: Uint32Array): Uint8Array {
  const out = new Uint8Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = labels[rows[i]];
  return out;
}
