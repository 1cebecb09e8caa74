import { argmaxRow, flattenProbabilities, type ProbabilityRows } from "./probability-rows.js";

/** Share of rows whose most probable class (first on ties) is the true one. */
export function accuracy(probs: ProbabilityRows, labels: ArrayLike<number>, classes = 3): number {
  const flat = flattenProbabilities(probs, labels, classes);
  let hits = 0;
  for (let i = 0; i < labels.length; i++) if (argmaxRow(flat, i, classes) === labels[i]) hits++;
  return hits / labels.length;
}

/**
 * Accuracy on the rows that have a winner (true label A = 0 or B = 1), predicting whichever of A and B is more
 * probable and ignoring the tie column; A on an exact A/B tie. `NaN` when no row has a winner.
 */
export function accuracyNoTies(probs: ProbabilityRows, labels: ArrayLike<number>, classes = 3): number {
  const flat = flattenProbabilities(probs, labels, classes);
  let rows = 0;
  let hits = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] > 1) continue;
    rows++;
    const predicted = flat[i * classes + 1] > flat[i * classes] ? 1 : 0;
    if (predicted === labels[i]) hits++;
  }
  return rows === 0 ? Number.NaN : hits / rows;
}
