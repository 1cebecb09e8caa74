import type { Graph } from "../graph.js";
import { add, div, mul, sqrt } from "../ops/elementwise.js";
import { reduceMean } from "../ops/reduce.js";
import type { Tensor } from "../ops/types.js";

/**
 * RMSNorm over the last axis: `x · (1 / √(mean(x²) + eps)) · weight`, as HF computes it (`x * rsqrt(var + eps)`). The
 * reciprocal is taken on the `[…, 1]` statistic, so the backward pass divides and negates that small tensor, not `x`.
 */
export function rmsNorm(g: Graph, x: Tensor, weight: Tensor, eps = 1e-6): Tensor {
  return g.scope("rms_norm", () => {
    const ms = reduceMean(g, mul(g, x, x), [-1], { keepdims: true });
    const inv = div(g, 1, sqrt(g, add(g, ms, eps)));
    return mul(g, mul(g, x, inv), weight);
  });
}
