import { EnsembleInputError } from "../errors.js";
import { CLASSES } from "../predictions/prediction-table.js";
import { clippedLog, softmaxRowsInPlace } from "../predictions/log-space.js";

/** Options of the 1-D Newton fit. */
export interface TemperatureOptions {
  /** Most Newton steps. Defaults to `100`. */
  maxIterations?: number;
  /** Stop when the derivative of the mean log loss is below this. Defaults to `1e-10`. */
  tolerance?: number;
}

/** `p_T ∝ p^(1/T)`: temperature scaling applied to probabilities (via their clipped logs). */
export function applyTemperature(probs: Float64Array, temperature: number): Float64Array {
  if (!(temperature > 0) || !Number.isFinite(temperature)) {
    throw new EnsembleInputError(`temperature must be a finite number > 0, got ${temperature}`);
  }
  const logits = clippedLog(probs);
  for (let i = 0; i < logits.length; i++) logits[i] /= temperature;
  return softmaxRowsInPlace(logits);
}

/** Mean log loss at inverse temperature `beta`, with its first and second derivatives. */
function lossAndDerivatives(logits: Float64Array, labels: ArrayLike<number>, beta: number): [number, number, number] {
  let loss = 0;
  let first = 0;
  let second = 0;
  const rows = labels.length;
  for (let i = 0; i < rows; i++) {
    const o = i * CLASSES;
    const max = Math.max(logits[o], logits[o + 1], logits[o + 2]) * beta;
    let sum = 0;
    let mean = 0;
    let square = 0;
    for (let k = 0; k < CLASSES; k++) {
      const z = logits[o + k];
      const e = Math.exp(beta * z - max);
      sum += e;
      mean += e * z;
      square += e * z * z;
    }
    mean /= sum;
    square /= sum;
    const zy = logits[o + labels[i]];
    loss += max + Math.log(sum) - beta * zy;
    first += mean - zy;
    second += square - mean * mean;
  }
  return [loss / rows, first / rows, second / rows];
}

/**
 * The temperature `T > 0` minimising the mean log loss of `p^(1/T)` (renormalised) on labelled rows. The loss is
 * convex in `β = 1/T`, so a safeguarded Newton iteration on β finds it.
 */
export function fitTemperature(probs: Float64Array, labels: ArrayLike<number>, options: TemperatureOptions = {}): number {
  if (probs.length !== labels.length * CLASSES || labels.length === 0) {
    throw new EnsembleInputError(`temperature scaling: ${probs.length / CLASSES} rows but ${labels.length} labels`);
  }
  const logits = clippedLog(probs);
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-10;
  let beta = 1;
  let [loss, first, second] = lossAndDerivatives(logits, labels, beta);
  for (let iteration = 0; iteration < maxIterations && Math.abs(first) > tolerance; iteration++) {
    // Newton step, falling back to a gradient step on a flat curvature; halve until it lowers the loss and stays > 0.
    let step = second > 1e-12 ? -first / second : -first;
    let next = beta + step;
    let nextState = next > 0 ? lossAndDerivatives(logits, labels, next) : undefined;
    while (!nextState || nextState[0] > loss) {
      step /= 2;
      if (Math.abs(step) < 1e-15) return 1 / beta;
      next = beta + step;
      nextState = next > 0 ? lossAndDerivatives(logits, labels, next) : undefined;
    }
    beta = next;
    [loss, first, second] = nextState;
  }
  return 1 / beta;
}
