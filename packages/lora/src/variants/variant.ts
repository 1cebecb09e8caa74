/**
 * A LoRA variant is a strategy object (after PEFT's LoraVariant): forward, backward, merge and unmerge for one
 * layer. Plain LoRA and DoRA are the two; which one a layer uses follows from its tensors (a magnitude vector means
 * DoRA), so no flag travels through the call sites.
 */
import type { DropoutMask } from "../dropout.js";
import type { LinearWeights, LoraLayerWeights } from "../layer.js";
import type { Rng } from "../rng.js";

/** Options of a forward pass. */
export interface ForwardOptions {
  /** Dropout probability on the LoRA branch's input; 0 for evaluation. Defaults to `0`. */
  dropout?: number;
  /** Draws the dropout mask; required when dropout > 0. Defaults to `undefined`. */
  rng?: Rng;
}

/** Options of a backward pass. */
export interface BackwardOptions {
  /** DoRA only: "detached" treats ‖W + s·B·A‖ as a constant, as PEFT does; "exact" differentiates through it. Defaults to `"detached"`. */
  doraNorm?: "detached" | "exact";
}

/** What a forward pass keeps for its backward. */
export interface LoraCache {
  /** Rows of x. */
  tokens: number;
  /** The input, tokens × in. */
  x: Float32Array;
  /** The LoRA branch's input after dropout (x itself without dropout). */
  xd: Float32Array;
  /** The dropout mask, or null without dropout. */
  mask: DropoutMask | null;
  /** h = xd·Aᵀ, tokens × r. */
  h: Float32Array;
  /** DoRA: z = xd·(W + s·B·A)ᵀ, tokens × out; null for plain LoRA. */
  z: Float32Array | null;
  /** DoRA: the row norms ‖W + s·B·A‖, length out; null for plain LoRA. */
  norms: Float32Array | null;
}

/** Output of a forward pass. */
export interface LoraForwardResult {
  /** y, tokens × out. */
  y: Float32Array;
  /** Saved for backward. */
  cache: LoraCache;
}

/** Gradients of a backward pass (W and bias are frozen, so none for them). */
export interface LoraGradients {
  /** dL/dx, tokens × in. */
  dX: Float32Array;
  /** dL/dA, r × in. */
  dA: Float32Array;
  /** dL/dB, out × r. */
  dB: Float32Array;
  /** dL/dmagnitude (DoRA), length out; null for plain LoRA. */
  dMagnitude: Float32Array | null;
}

/** What unmerge needs to undo a merge. */
export type MergeRecord = { variant: "lora" } | { variant: "dora"; weightNorm: Float32Array };

/** One LoRA variant. `s` is the scale (lora_alpha / r, or / √r with rsLoRA). */
export interface LoraVariant {
  /** "lora" or "dora". */
  readonly name: MergeRecord["variant"];
  /** y = x·Wᵀ + bias + the variant's update. */
  forward(base: LinearWeights, lora: LoraLayerWeights, s: number, x: Float32Array, tokens: number, options: ForwardOptions): LoraForwardResult;
  /** Gradients for dY = dL/dy. */
  backward(base: LinearWeights, lora: LoraLayerWeights, s: number, cache: LoraCache, dY: Float32Array, options: BackwardOptions): LoraGradients;
  /** Folds the adapter into W (out × in) in place. */
  merge(W: Float32Array, lora: LoraLayerWeights, s: number): MergeRecord;
  /** Undoes `merge` in place. */
  unmerge(W: Float32Array, lora: LoraLayerWeights, s: number, record: MergeRecord): void;
}
