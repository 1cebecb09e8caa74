import type { Graph } from "../graph.js";
import { add, div, mul, pow, sqrt, sub } from "../ops/elementwise.js";
import type { Tensor } from "../ops/types.js";

/** AdamW hyper-parameters; the learning rate and step are graph inputs so schedules need no new graph. */
export interface AdamWOptions {
  /** First-moment decay. Defaults to `0.9`. */
  beta1?: number;
  /** Second-moment decay. Defaults to `0.999`. */
  beta2?: number;
  /** Denominator epsilon. Defaults to `1e-8`. */
  eps?: number;
  /** Decoupled weight decay. Defaults to `0.01`. */
  weightDecay?: number;
}

/** One parameter's state going into the update. */
export interface AdamWSlot {
  /** Current parameter value. */
  readonly param: Tensor;
  /** Its gradient. */
  readonly grad: Tensor;
  /** First moment. */
  readonly m: Tensor;
  /** Second moment. */
  readonly v: Tensor;
}

/** Updated values of one slot. */
export interface AdamWUpdate {
  /** Parameter after weight decay and the Adam step. */
  readonly param: Tensor;
  /** Updated first moment. */
  readonly m: Tensor;
  /** Updated second moment. */
  readonly v: Tensor;
}

/**
 * torch.optim.AdamW as graph nodes: `p ← p − lr·wd·p`, moments updated, then `p ← p − lr·m̂/(√v̂ + eps)` with
 * bias corrections `1 − βᵗ`. `lr` and `step` (1-based, float) are scalar graph inputs.
 */
export function adamW(g: Graph, slots: readonly AdamWSlot[], lr: Tensor, step: Tensor, options: AdamWOptions = {}): AdamWUpdate[] {
  const b1 = options.beta1 ?? 0.9;
  const b2 = options.beta2 ?? 0.999;
  const eps = options.eps ?? 1e-8;
  const wd = options.weightDecay ?? 0.01;
  return g.scope("adamw", () => {
    const c1 = sub(g, 1, pow(g, g.constant(b1, step.dtype), step));
    const c2 = sub(g, 1, pow(g, g.constant(b2, step.dtype), step));
    return slots.map(({ param, grad, m, v }) => {
      const decayed = wd === 0 ? param : mul(g, param, sub(g, 1, mul(g, lr, wd)));
      const m1 = add(g, mul(g, m, b1), mul(g, grad, 1 - b1));
      const v1 = add(g, mul(g, v, b2), mul(g, mul(g, grad, grad), 1 - b2));
      const denom = add(g, sqrt(g, div(g, v1, c2)), eps);
      const update = div(g, div(g, m1, c1), denom);
      return { param: sub(g, decayed, mul(g, update, lr)), m: m1, v: v1 };
    });
  });
}
