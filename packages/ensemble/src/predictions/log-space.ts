import { CLASSES } from "./prediction-table.js";

/** Probability floor used before taking logs, as the Kaggle metric clips. */
export const PROBABILITY_FLOOR = 1e-15;

/** Softmax of each row of `logits` (`rows × 3`), in place. */
export function softmaxRowsInPlace(logits: Float64Array): Float64Array {
  for (let i = 0; i < logits.length; i += CLASSES) {
    const max = Math.max(logits[i], logits[i + 1], logits[i + 2]);
    let sum = 0;
    for (let k = 0; k < CLASSES; k++) {
      logits[i + k] = Math.exp(logits[i + k] - max);
      sum += logits[i + k];
    }
    for (let k = 0; k < CLASSES; k++) logits[i + k] /= sum;
  }
  return logits;
}

/** `log(max(p, 1e-15))` of every probability. */
export function clippedLog(probs: Float64Array): Float64Array {
  return Float64Array.from(probs, (p) => Math.log(Math.max(p, PROBABILITY_FLOOR)));
}
