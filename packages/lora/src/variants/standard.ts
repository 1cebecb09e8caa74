/** Plain LoRA: y = x·Wᵀ + bias + s·(drop(x)·Aᵀ)·Bᵀ. */
import { applyDropout, dropoutMask, type DropoutMask } from "../dropout.js";
import { gemm } from "../kernels/gemm.js";
import type { LinearWeights, LoraLayerWeights } from "../layer.js";
import type { ForwardOptions, LoraCache, LoraGradients, LoraVariant, MergeRecord } from "./variant.js";

/** y = x·Wᵀ + bias, tokens × out. */
export function baseForward(base: LinearWeights, x: Float32Array, tokens: number): Float32Array {
  const { inFeatures: inF, outFeatures: out } = base;
  const y = new Float32Array(tokens * out);
  gemm(false, true, tokens, out, inF, 1, x, base.weight, 0, y);
  if (base.bias !== null) {
    const b = base.bias;
    for (let t = 0; t < tokens; t++) {
      const o = t * out;
      for (let j = 0; j < out; j++) y[o + j] += b[j];
    }
  }
  return y;
}

/** The LoRA branch's input after dropout and h = xd·Aᵀ. */
export function loraInput(
  lora: LoraLayerWeights,
  x: Float32Array,
  tokens: number,
  options: ForwardOptions,
): { xd: Float32Array; mask: DropoutMask | null; h: Float32Array } {
  const p = options.dropout ?? 0;
  let xd = x;
  let mask: DropoutMask | null = null;
  if (p > 0) {
    if (options.rng === undefined) throw new RangeError(`dropout ${p} needs an rng to draw its mask`);
    mask = dropoutMask(options.rng, x.length, p);
    xd = applyDropout(x, mask, new Float32Array(x.length));
  }
  const h = new Float32Array(tokens * lora.r);
  gemm(false, true, tokens, lora.r, lora.inFeatures, 1, xd, lora.A, 0, h);
  return { xd, mask, h };
}

/**
 * dX = dY·W + drop'(dH·A) with dH = s·dYs·B, and dA = dHᵀ·xd, dB = s·dYsᵀ·h. `dYs` is the upstream gradient
 * seen by the LoRA branch (dY itself for plain LoRA, dY scaled per column for DoRA); `dYBase` the one seen by W.
 */
export function branchBackward(
  base: LinearWeights,
  lora: LoraLayerWeights,
  s: number,
  cache: LoraCache,
  dYBase: Float32Array,
  dYs: Float32Array,
  dYMasked: Float32Array | null,
): Omit<LoraGradients, "dMagnitude"> {
  const { tokens, h, xd, mask } = cache;
  const { inFeatures: inF, outFeatures: out, r } = lora;
  const dB = new Float32Array(out * r);
  gemm(true, false, out, r, tokens, s, dYs, h, 0, dB);
  const dH = new Float32Array(tokens * r);
  gemm(false, false, tokens, r, out, s, dYs, lora.B, 0, dH);
  const dA = new Float32Array(r * inF);
  gemm(true, false, r, inF, tokens, 1, dH, xd, 0, dA);
  const dX = new Float32Array(tokens * inF);
  gemm(false, false, tokens, inF, out, 1, dYBase, base.weight, 0, dX);
  if (mask === null) {
    gemm(false, false, tokens, inF, r, 1, dH, lora.A, 1, dX);
  } else {
    const dXd = new Float32Array(tokens * inF);
    gemm(false, false, tokens, inF, r, 1, dH, lora.A, 0, dXd);
    if (dYMasked !== null) gemm(false, false, tokens, inF, out, 1, dYMasked, base.weight, 1, dXd);
    applyDropout(dXd, mask, dXd);
    for (let i = 0; i < dX.length; i++) dX[i] += dXd[i];
  }
  return { dX, dA, dB };
}

/** W += sign·s·B·A, blocked over the rank inside the SIMD kernel. */
export function addDelta(W: Float32Array, lora: LoraLayerWeights, s: number, sign: 1 | -1): void {
  gemm(false, false, lora.outFeatures, lora.inFeatures, lora.r, sign * s, lora.B, lora.A, 1, W);
}

/** Plain LoRA. */
export const standardLora: LoraVariant = {
  name: "lora",
  forward(base, lora, s, x, tokens, options) {
    const y = baseForward(base, x, tokens);
    const { xd, mask, h } = loraInput(lora, x, tokens, options);
    gemm(false, true, tokens, lora.outFeatures, lora.r, s, h, lora.B, 1, y);
    return { y, cache: { tokens, x, xd, mask, h, z: null, norms: null } };
  },
  backward(base, lora, s, cache, dY) {
    return { ...branchBackward(base, lora, s, cache, dY, dY, null), dMagnitude: null };
  },
  merge(W, lora, s): MergeRecord {
    addDelta(W, lora, s, 1);
    return { variant: "lora" };
  },
  unmerge(W, lora, s) {
    addDelta(W, lora, s, -1);
  },
};
