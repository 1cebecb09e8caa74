import { flattenProbabilities, type ProbabilityRows } from "./probability-rows.js";

/** Kaggle's clipping bound for probabilities. */
export const LOG_LOSS_EPSILON = 1e-15;

/**
 * Multi-class log loss as Kaggle scores it: each probability is clipped to `[1e-15, 1 - 1e-15]`, each row is
 * renormalised to sum to 1, and the result is the mean of `-log p(true class)`.
 */
export function logLoss(probs: ProbabilityRows, labels: ArrayLike<number>, classes = 3): number {
  const flat = flattenProbabilities(probs, labels, classes);
  const clip = (p: number) => Math.min(Math.max(p, LOG_LOSS_EPSILON), 1 - LOG_LOSS_EPSILON);
  let total = 0;
  for (let i = 0; i < labels.length; i++) {
    let sum = 0;
    for (let k = 0; k < classes; k++) sum += clip(flat[i * classes + k]);
    total -= Math.log(clip(flat[i * classes + labels[i]]) / sum);
  }
  return total / labels.length;
}
