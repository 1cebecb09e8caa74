import { createStrategy } from "../strategies/registry.js";
import type { StrategyName } from "../strategies/strategy.js";

const CLASSES = 3;

/**
 * An ensemble's own out-of-fold predictions: for each fold, the strategy is fitted on the members' out-of-fold
 * predictions of the other folds and applied to this one, so no row's ensemble prediction has seen its label.
 * `outOfFold` holds each member's row-major `rows × 3` predictions; `folds[i]` is row `i`'s fold in `[0, k)`.
 */
export function crossFitStrategy(name: StrategyName, outOfFold: readonly Float64Array[], labels: ArrayLike<number>, folds: Int32Array): Float64Array {
  const k = Math.max(...folds) + 1;
  const combined = new Float64Array(folds.length * CLASSES);
  for (let f = 0; f < k; f++) {
    const fit: number[] = [];
    const test: number[] = [];
    folds.forEach((fold, i) => (fold === f ? test : fit).push(i));
    const pick = (indices: readonly number[]) => outOfFold.map((member) => gather(member, indices));
    const strategy = createStrategy(name).fit(pick(fit), Uint8Array.from(fit, (i) => labels[i]));
    const predictions = strategy.predict(pick(test));
    test.forEach((row, j) => combined.set(predictions.subarray(j * CLASSES, (j + 1) * CLASSES), row * CLASSES));
  }
  return combined;
}

/** Rows `indices` of a row-major `rows × 3` array. */
function gather(probs: Float64Array, indices: readonly number[]): Float64Array {
  const out = new Float64Array(indices.length * CLASSES);
  indices.forEach((row, j) => out.set(probs.subarray(row * CLASSES, (row + 1) * CLASSES), j * CLASSES));
  return out;
}
