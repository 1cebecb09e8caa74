import type { Graph } from "../graph.js";
import { mul, sigmoid } from "../ops/elementwise.js";
import type { Tensor } from "../ops/types.js";
import { linear } from "./linear.js";

/** Weights of a SwiGLU feed-forward, `[in, out]` layout. */
export interface SwigluWeights {
  /** Gate projection; its output goes through SiLU. */
  readonly gate: Tensor;
  /** Up projection, multiplied elementwise by the gated branch. */
  readonly up: Tensor;
  /** Down projection of that product back to the output width. */
  readonly down: Tensor;
}

/** `down(silu(x·gate) ⊙ x·up)` with `silu(z) = z·σ(z)`. */
export function swiglu(g: Graph, x: Tensor, w: SwigluWeights): Tensor {
  return g.scope("mlp", () => {
    const gate = g.scope("gate_proj", () => linear(g, x, w.gate));
    const up = g.scope("up_proj", () => linear(g, x, w.up));
    return g.scope("down_proj", () => linear(g, mul(g, mul(g, gate, sigmoid(g, gate)), up), w.down));
  });
}
