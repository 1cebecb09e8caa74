/**
 * Float64 building blocks of the families' reference forwards: plain loops over typed arrays, written from the math
 * and never from the graph code, so a graph bug cannot hide in both.
 */

/** `x Wᵀ (+ b)` for `x` `[rows, inDim]` and W `[outDim, inDim]` (HF's Linear layout). */
export function referenceLinear(x: Float64Array, rows: number, inDim: number, outDim: number, w: Float64Array, bias: Float64Array | null = null): Float64Array {
  const out = new Float64Array(rows * outDim);
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < outDim; o++) {
      let acc = bias ? bias[o] : 0;
      for (let i = 0; i < inDim; i++) acc += x[r * inDim + i] * w[o * inDim + i];
      out[r * outDim + o] = acc;
    }
  }
  return out;
}

/** `x / √(mean(x²) + eps) · gain` per row of width `width`. */
export function referenceRmsNorm(x: Float64Array, rows: number, width: number, gain: Float64Array, eps: number): Float64Array {
  const out = new Float64Array(x.length);
  for (let r = 0; r < rows; r++) {
    let sumSq = 0;
    for (let c = 0; c < width; c++) sumSq += x[r * width + c] ** 2;
    const inv = 1 / Math.sqrt(sumSq / width + eps);
    for (let c = 0; c < width; c++) out[r * width + c] = x[r * width + c] * inv * gain[c];
  }
  return out;
}

/** `a + b` elementwise. */
export function referenceAdd(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] + b[i];
  return out;
}
