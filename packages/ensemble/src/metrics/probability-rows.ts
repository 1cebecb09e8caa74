import { EnsembleInputError } from "../errors.js";

/** Class probabilities: flat row-major `rows × classes`, or one array per row. */
export type ProbabilityRows = Float64Array | readonly (readonly number[])[];

/** The flat row-major form of `probs`, checked against the label count. */
export function flattenProbabilities(probs: ProbabilityRows, labels: ArrayLike<number>, classes: number): Float64Array {
  let flat: Float64Array;
  if (probs instanceof Float64Array) {
    flat = probs;
  } else {
    flat = new Float64Array(probs.length * classes);
    probs.forEach((row, i) => {
      if (row.length !== classes) throw new EnsembleInputError(`metrics: row ${i} has ${row.length} probabilities, expected ${classes}`);
      flat.set(row, i * classes);
    });
  }
  if (flat.length !== labels.length * classes) {
    throw new EnsembleInputError(`metrics: ${flat.length / classes} probability rows but ${labels.length} labels`);
  }
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (!Number.isInteger(label) || label < 0 || label >= classes) {
      throw new EnsembleInputError(`metrics: label ${i} is ${label}, expected an integer in [0, ${classes})`);
    }
  }
  return flat;
}

/** Index of the largest probability in row `row` (first one on ties). */
export function argmaxRow(flat: Float64Array, row: number, classes: number): number {
  let best = 0;
  for (let k = 1; k < classes; k++) if (flat[row * classes + k] > flat[row * classes + best]) best = k;
  return best;
}
