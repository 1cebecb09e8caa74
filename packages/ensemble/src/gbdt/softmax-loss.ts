/** Hessians below this are floored so that confident rows never divide by zero in a leaf value. */
const MIN_HESSIAN = 1e-16;

/** Turns row-major scores (n × k) into probabilities in place, one max-shifted softmax per row. */
export function softmaxRows(scores: Float64Array, k: number): Float64Array {
  for (let base = 0; base < scores.length; base += k) {
    let max = -Infinity;
    for (let c = 0; c < k; c++) max = Math.max(max, scores[base + c]);
    let sum = 0;
    for (let c = 0; c < k; c++) {
      const e = Math.exp(scores[base + c] - max);
      scores[base + c] = e;
      sum += e;
    }
    for (let c = 0; c < k; c++) scores[base + c] /= sum;
  }
  return scores;
}

/**
 * Gradient `p − y` and diagonal hessian `p(1 − p)` of the multiclass log loss with respect to each class score,
 * written per class (`grad[c][i]`) so that each class's tree reads one contiguous array.
 */
export function softmaxGradients(
  scores: Float64Array,
  labels: Uint8Array,
  k: number,
  grad: Float64Array[],
  hess: Float64Array[],
): void {
  const p = new Float64Array(k);
  for (let i = 0; i < labels.length; i++) {
    const base = i * k;
    let max = -Infinity;
    for (let c = 0; c < k; c++) max = Math.max(max, scores[base + c]);
    let sum = 0;
    for (let c = 0; c < k; c++) {
      p[c] = Math.exp(scores[base + c] - max);
      sum += p[c];
    }
    for (let c = 0; c < k; c++) {
      const pc = p[c] / sum;
      grad[c][i] = pc - (labels[i] === c ? 1 : 0);
      hess[c][i] = Math.max(pc * (1 - pc), MIN_HESSIAN);
    }
  }
}

/** Mean negative log-likelihood of the labels under row-major scores (log-sum-exp, no probability clipping needed). */
export function softmaxLogLoss(scores: Float64Array, labels: Uint8Array, k: number): number {
  if (labels.length === 0) return NaN;
  let total = 0;
  for (let i = 0; i < labels.length; i++) {
    const base = i * k;
    let max = -Infinity;
    for (let c = 0; c < k; c++) max = Math.max(max, scores[base + c]);
    let sum = 0;
    for (let c = 0; c < k; c++) sum += Math.exp(scores[base + c] - max);
    total += max + Math.log(sum) - scores[base + labels[i]];
  }
  return total / labels.length;
}
