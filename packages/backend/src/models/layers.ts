import type { Graph } from "../graph.js";
import { add, div, erf, mul, pow, sqrt, sub, tanh } from "../ops/elementwise.js";
import { reduceMean } from "../ops/reduce.js";
import type { Tensor } from "../ops/types.js";

/** Layers the encoder and Gemma families share that the Llama stack does not use. */

/** LayerNorm over the last axis: `(x − mean) / √(var + eps) · weight + bias`, biased variance as torch. */
export function layerNorm(g: Graph, x: Tensor, weight: Tensor, bias: Tensor, eps: number): Tensor {
  return g.scope("layer_norm", () => {
    const centered = sub(g, x, reduceMean(g, x, [-1], { keepdims: true }));
    const variance = reduceMean(g, mul(g, centered, centered), [-1], { keepdims: true });
    return add(g, mul(g, div(g, centered, sqrt(g, add(g, variance, eps))), weight), bias);
  });
}

/** GELU, exact: `x/2 · (1 + erf(x/√2))` (HF `gelu`). */
export function gelu(g: Graph, x: Tensor): Tensor {
  return g.scope("gelu", () => mul(g, mul(g, x, 0.5), add(g, erf(g, mul(g, x, Math.SQRT1_2)), 1)));
}

/** GELU, tanh approximation: `x/2 · (1 + tanh(√(2/π)·(x + 0.044715·x³)))` (HF `gelu_new`, `gelu_pytorch_tanh`). */
export function geluTanh(g: Graph, x: Tensor): Tensor {
  return g.scope("gelu_tanh", () => {
    const inner = mul(g, add(g, x, mul(g, pow(g, x, 3), 0.044715)), Math.sqrt(2 / Math.PI));
    return mul(g, mul(g, x, 0.5), add(g, tanh(g, inner), 1));
  });
}

/** `cap · tanh(x / cap)`: Gemma-2's soft-capping of attention scores and final logits. */
export function softCap(g: Graph, x: Tensor, cap: number): Tensor {
  return mul(g, tanh(g, mul(g, x, 1 / cap)), cap);
}
