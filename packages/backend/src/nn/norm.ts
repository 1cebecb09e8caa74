import type { Graph } from "../graph.js";
import { add, div, mul, sqrt } from "../ops/elementwise.js";
import { reduceMean } from "../ops/reduce.js";
import type { Tensor } from "../ops/types.js";

/** RMSNorm over the last axis: `x / √(mean(x²) + eps) · weight`. */
export function rmsNorm(g: Graph, x: Tensor, weight: Tensor, eps = 1e-6): Tensor {
  return g.scope("rms_norm", () => {
    const ms = reduceMean(g, mul(g, x, x), [-1], { keepdims: true });
    return mul(g, div(g, x, sqrt(g, add(g, ms, eps))), weight);
  });
}
