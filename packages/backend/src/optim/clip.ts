import type { Graph } from "../graph.js";
import { add, div, less, mul, sqrt, where } from "../ops/elementwise.js";
import { reduceSum } from "../ops/reduce.js";
import type { Tensor } from "../ops/types.js";

/** Gradients scaled so their global L2 norm is at most `maxNorm` (torch `clip_grad_norm_`), plus that norm before clipping. */
export function clipByGlobalNorm(g: Graph, grads: readonly Tensor[], maxNorm: number): { grads: Tensor[]; norm: Tensor } {
  return g.scope("clip", () => {
    const squares = grads.map((t) => reduceSum(g, mul(g, t, t)));
    const norm = sqrt(g, squares.slice(1).reduce((s, t) => add(g, s, t), squares[0]));
    const coef = div(g, g.constant(maxNorm, norm.dtype), add(g, norm, 1e-6));
    const scale = where(g, less(g, coef, 1), coef, g.constant(1, norm.dtype));
    return { grads: grads.map((t) => mul(g, t, scale)), norm };
  });
}
