/**
 * The public LoRA linear layer: forward, backward, merge and unmerge, each dispatching to the layer's variant
 * (plain LoRA, or DoRA when the layer has a magnitude vector).
 */
import { MergeNotFiniteError } from "./errors.js";
import { checkLinear, checkLora, expectLength, type LinearWeights, type LoraLayerWeights } from "./layer.js";
import { dora } from "./variants/dora.js";
import { standardLora } from "./variants/standard.js";
import type { BackwardOptions, ForwardOptions, LoraCache, LoraForwardResult, LoraGradients, LoraVariant, MergeRecord } from "./variants/variant.js";

/** The variant strategy a layer uses: DoRA when it carries a magnitude vector, plain LoRA otherwise. */
export function loraVariant(lora: LoraLayerWeights): LoraVariant {
  return lora.magnitude === null ? standardLora : dora;
}

/** y = x·Wᵀ + bias + the LoRA update with scale s; x is tokens × in, row-major. */
export function loraForward(
  base: LinearWeights,
  lora: LoraLayerWeights,
  s: number,
  x: Float32Array,
  tokens: number,
  options: ForwardOptions = {},
): LoraForwardResult {
  checkLinear(base, lora);
  expectLength("x", x, tokens * base.inFeatures, `${tokens}×${base.inFeatures}`);
  return loraVariant(lora).forward(base, lora, s, x, tokens, options);
}

/** Gradients of the loss with respect to x, A, B (and DoRA's magnitude) given dY = dL/dy. */
export function loraBackward(
  base: LinearWeights,
  lora: LoraLayerWeights,
  s: number,
  cache: LoraCache,
  dY: Float32Array,
  options: BackwardOptions = {},
): LoraGradients {
  checkLinear(base, lora);
  expectLength("dY", dY, cache.tokens * base.outFeatures, `${cache.tokens}×${base.outFeatures}`);
  return loraVariant(lora).backward(base, lora, s, cache, dY, options);
}

/** Options of merge. */
export interface MergeOptions {
  /** Work on a copy and write back only if every merged value is finite, so a failure leaves W untouched (PEFT's safe_merge). Defaults to `false`. */
  safe?: boolean;
  /** The layer's name, used in the error a non-finite merge raises. Defaults to `"<layer>"`. */
  layer?: string;
}

/**
 * Folds the adapter into W (outFeatures × inFeatures) in place: W + s·B·A, or DoRA's m ⊙ normalised rows.
 * Every merged value is checked: NaN or ±Infinity raises MergeNotFiniteError naming the layer (with `safe`, W is
 * left as it was). Returns what unmerge needs.
 */
export function merge(W: Float32Array, lora: LoraLayerWeights, s: number, options: MergeOptions = {}): MergeRecord {
  checkLora(lora);
  expectLength("W", W, lora.outFeatures * lora.inFeatures, `${lora.outFeatures}×${lora.inFeatures}`);
  if (!Number.isFinite(s)) throw new RangeError(`merge of layer "${options.layer ?? "<layer>"}": scale ${s} is not finite`);
  const layer = options.layer ?? "<layer>";
  const target = options.safe === true ? W.slice() : W;
  const record = loraVariant(lora).merge(target, lora, s);
  const bad = firstNonFinite(target);
  if (bad >= 0) throw new MergeNotFiniteError(layer, bad, target !== W);
  if (target !== W) W.set(target);
  return record;
}

/** Undoes merge in place, W ← W − s·B·A (DoRA: rescale rows back first); restores W up to float rounding. */
export function unmerge(W: Float32Array, lora: LoraLayerWeights, s: number, record: MergeRecord = { variant: "lora" }): void {
  checkLora(lora);
  expectLength("W", W, lora.outFeatures * lora.inFeatures, `${lora.outFeatures}×${lora.inFeatures}`);
  const variant = loraVariant(lora);
  if (record.variant !== variant.name) throw new RangeError(`unmerge: a ${variant.name} layer got a ${record.variant} merge record`);
  variant.unmerge(W, lora, s, record);
}

function firstNonFinite(x: Float32Array): number {
  for (let i = 0; i < x.length; i++) {
    // x − x is NaN exactly for NaN and ±Infinity, and cheaper than Number.isFinite on a hot loop.
    if (x[i] - x[i] !== 0) return i;
  }
  return -1;
}
