import type { Graph } from "../graph.js";
import { add, mul } from "../ops/elementwise.js";
import { matMul } from "../ops/linalg.js";
import type { Tensor } from "../ops/types.js";

/** A LoRA adapter on one linear map, in the graph's `[in, out]` layout (PEFT's `lora_A.weight` transposed, and so on). */
export interface LoraAdapter {
  /** Down projection, `[in, r]`. */
  readonly a: Tensor;
  /** Up projection, `[r, out]`. */
  readonly b: Tensor;
  /** `alpha / r` (or `alpha / √r` with rsLoRA). */
  readonly scale: number;
}

/** `x · w (+ bias)` with `w` shaped `[in, out]`. */
export function linear(g: Graph, x: Tensor, w: Tensor, bias?: Tensor): Tensor {
  const y = matMul(g, x, w);
  return bias ? add(g, y, bias) : y;
}

/**
 * `x · w + scale · (x' · A) · B`, where `x'` is `loraInput` (the input after LoRA dropout) and defaults to `x`. The
 * scale multiplies the rank-r activation, the smallest tensor on the path, and the frozen `w` never meets a gradient
 * product for itself.
 */
export function loraLinear(g: Graph, x: Tensor, w: Tensor, lora?: LoraAdapter, bias?: Tensor, loraInput: Tensor = x): Tensor {
  const base = linear(g, x, w, bias);
  if (!lora) return base;
  const low = g.scope("lora", () => matMul(g, mul(g, matMul(g, loraInput, lora.a), lora.scale), lora.b));
  return add(g, base, low);
}
