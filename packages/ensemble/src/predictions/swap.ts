import { CLASSES } from "./prediction-table.js";

/** Maps predictions made on A/B-swapped rows back to the original order: `[pA, pB, tie] → [pB, pA, tie]`. */
export function unswapProbabilities(swapped: Float64Array): Float64Array {
  const out = new Float64Array(swapped.length);
  for (let i = 0; i < swapped.length; i += CLASSES) {
    out[i] = swapped[i + 1];
    out[i + 1] = swapped[i];
    out[i + 2] = swapped[i + 2];
  }
  return out;
}

/**
 * Swap test-time averaging: the mean of a member's predictions on the original rows and its predictions on the
 * same rows with A and B swapped (mapped back). The result is exactly symmetric under swapping.
 */
export function swapAverage(original: Float64Array, swapped: Float64Array): Float64Array {
  if (original.length !== swapped.length) {
    throw new RangeError(`swap average: ${original.length / CLASSES} original rows but ${swapped.length / CLASSES} swapped rows`);
  }
  const out = unswapProbabilities(swapped);
  for (let i = 0; i < out.length; i++) out[i] = (out[i] + original[i]) / 2;
  return out;
}
