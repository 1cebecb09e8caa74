/**
 * DoRA (Liu et al. 2024, as PEFT's DoraLinearLayer computes it): with V = W + s·B·A and n = the row norms of V,
 *   y = x·Wᵀ + bias + (m/n − 1) ⊙ (xd·Wᵀ) + (m/n) ⊙ s·(xd·Aᵀ)·Bᵀ
 * where xd is the dropped-out input (xd = x in evaluation, where this is simply (m/n) ⊙ x·Vᵀ + bias).
 */
import { gemm } from "../kernels/gemm.js";
import type { LinearWeights, LoraLayerWeights } from "../layer.js";
import { addDelta, baseForward, branchBackward, loraInput } from "./standard.js";
import type { LoraVariant, MergeRecord } from "./variant.js";

/** Row norms ‖W + s·B·A‖ (length out): PEFT's get_weight_norm, and the magnitude DoRA starts from. */
export function doraWeightNorm(W: Float32Array, lora: LoraLayerWeights, s: number): Float32Array {
  const V = W.slice();
  addDelta(V, lora, s, 1);
  return rowNorms(V, lora.outFeatures, lora.inFeatures);
}

function rowNorms(V: Float32Array, rows: number, cols: number): Float32Array {
  const norms = new Float32Array(rows);
  for (let o = 0; o < rows; o++) {
    let sum = 0;
    const base = o * cols;
    for (let i = 0; i < cols; i++) sum += V[base + i] * V[base + i];
    norms[o] = Math.sqrt(sum);
  }
  return norms;
}

function magnitudeOf(lora: LoraLayerWeights): Float32Array {
  if (lora.magnitude === null) throw new RangeError("DoRA needs lora.magnitude (lora_magnitude_vector)");
  return lora.magnitude;
}

/** DoRA. */
export const dora: LoraVariant = {
  name: "dora",
  forward(base: LinearWeights, lora, s, x, tokens, options) {
    const m = magnitudeOf(lora);
    const out = lora.outFeatures;
    const norms = doraWeightNorm(base.weight, lora, s);
    const y = baseForward(base, x, tokens);
    const { xd, mask, h } = loraInput(lora, x, tokens, options);
    // z = xd·Vᵀ = xd·Wᵀ + s·h·Bᵀ; zW = xd·Wᵀ is y − bias when nothing was dropped.
    const zW = new Float32Array(tokens * out);
    if (mask === null) {
      zW.set(y);
      if (base.bias !== null) for (let t = 0; t < tokens; t++) for (let o = 0; o < out; o++) zW[t * out + o] -= base.bias[o];
    } else {
      gemm(false, true, tokens, out, lora.inFeatures, 1, xd, base.weight, 0, zW);
    }
    const z = zW.slice();
    gemm(false, true, tokens, out, lora.r, s, h, lora.B, 1, z);
    for (let t = 0; t < tokens; t++) {
      const row = t * out;
      for (let o = 0; o < out; o++) y[row + o] += (m[o] / norms[o]) * z[row + o] - zW[row + o];
    }
    return { y, cache: { tokens, x, xd, mask, h, z, norms } };
  },
  backward(base, lora, s, cache, dY, options) {
    const m = magnitudeOf(lora);
    const { tokens, z, norms } = cache;
    if (z === null || norms === null) throw new RangeError("DoRA backward needs the cache of a DoRA forward");
    const { outFeatures: out, inFeatures: inF, r } = lora;
    const dMagnitude = new Float32Array(out);
    const dYs = new Float32Array(dY.length);
    const dYMasked = cache.mask === null ? null : new Float32Array(dY.length);
    for (let t = 0; t < tokens; t++) {
      const row = t * out;
      for (let o = 0; o < out; o++) {
        const u = m[o] / norms[o];
        dMagnitude[o] += dY[row + o] * z[row + o];
        dYs[row + o] = dY[row + o] * u;
        if (dYMasked !== null) dYMasked[row + o] = dY[row + o] * (u - 1);
      }
    }
    for (let o = 0; o < out; o++) dMagnitude[o] /= norms[o];
    const grads = branchBackward(base, lora, s, cache, dYMasked === null ? dYs : dY, dYs, dYMasked);
    if ((options.doraNorm ?? "detached") === "exact") {
      // n depends on A and B: dV gains −k ⊙ V per row with k = m·dm / n².
      const V = base.weight.slice();
      addDelta(V, lora, s, 1);
      const k = new Float32Array(out);
      for (let o = 0; o < out; o++) k[o] = (m[o] * dMagnitude[o]) / (norms[o] * norms[o]);
      const kB = new Float32Array(out * r);
      for (let o = 0; o < out; o++) for (let j = 0; j < r; j++) kB[o * r + j] = k[o] * lora.B[o * r + j];
      gemm(true, false, r, inF, out, -s, kB, V, 1, grads.dA);
      const VAt = new Float32Array(out * r);
      gemm(false, true, out, r, inF, 1, V, lora.A, 0, VAt);
      for (let o = 0; o < out; o++) for (let j = 0; j < r; j++) grads.dB[o * r + j] -= s * k[o] * VAt[o * r + j];
    }
    return { ...grads, dMagnitude };
  },
  merge(W, lora, s): MergeRecord {
    const m = magnitudeOf(lora);
    addDelta(W, lora, s, 1);
    const weightNorm = rowNorms(W, lora.outFeatures, lora.inFeatures);
    scaleRows(W, lora.inFeatures, (o) => m[o] / weightNorm[o]);
    return { variant: "dora", weightNorm };
  },
  unmerge(W, lora, s, record) {
    if (record.variant !== "dora") throw new RangeError(`DoRA unmerge got a "${record.variant}" merge record`);
    const m = magnitudeOf(lora);
    scaleRows(W, lora.inFeatures, (o) => record.weightNorm[o] / m[o]);
    addDelta(W, lora, s, -1);
  },
};

function scaleRows(W: Float32Array, cols: number, factor: (row: number) => number): void {
  const rows = W.length / cols;
  for (let o = 0; o < rows; o++) {
    const f = factor(o);
    const base = o * cols;
    for (let i = 0; i < cols; i++) W[base + i] *= f;
  }
}
