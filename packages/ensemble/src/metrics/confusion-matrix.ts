import { argmaxRow, flattenProbabilities, type ProbabilityRows } from "./probability-rows.js";

/** Counts `matrix[true class][predicted class]`, the prediction being the most probable class. */
export function confusionMatrix(probs: ProbabilityRows, labels: ArrayLike<number>, classes = 3): number[][] {
  const flat = flattenProbabilities(probs, labels, classes);
  const matrix = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < labels.length; i++) matrix[labels[i]][argmaxRow(flat, i, classes)]++;
  return matrix;
}
