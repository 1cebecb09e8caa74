import type { Graph } from "../graph.js";
import { grad } from "../autodiff.js";
import type { Tensor } from "../ops/types.js";
import { adamW, type AdamWOptions } from "./adamw.js";
import { clipByGlobalNorm } from "./clip.js";

/** Options of {@link trainStep}. */
export interface TrainStepOptions extends AdamWOptions {
  /** Clip gradients to this global norm; 0 disables clipping. Defaults to `1`. */
  maxGradNorm?: number;
}

/** The graph pieces of one optimizer step: inputs to feed and outputs to read back. */
export interface TrainStep {
  /** Scalar learning-rate input (`lr`). */
  readonly lr: Tensor;
  /** Scalar 1-based step input (`step`), float. */
  readonly step: Tensor;
  /** Moment inputs per parameter, named `<param>/m` and `<param>/v`. */
  readonly moments: readonly { readonly m: Tensor; readonly v: Tensor }[];
  /** Outputs by name: `loss`, `grad_norm`, and `<param>`, `<param>/m`, `<param>/v` for each updated parameter. */
  readonly outputs: Readonly<Record<string, Tensor>>;
}

/**
 * Forward loss → gradients of `params` → global-norm clipping → AdamW, all in `g`, so one session run is one step.
 * Each parameter's updated value is an output under its own input name, ready to feed back.
 */
export function trainStep(g: Graph, loss: Tensor, params: readonly Tensor[], options: TrainStepOptions = {}): TrainStep {
  const dtype = loss.dtype;
  const lr = g.input("lr", dtype, []);
  const step = g.input("step", dtype, []);
  const moments = params.map((p) => ({ m: g.input(`${p.name}/m`, dtype, p.shape), v: g.input(`${p.name}/v`, dtype, p.shape) }));
  const raw = grad(g, loss, params);
  const maxNorm = options.maxGradNorm ?? 1;
  const clipped = maxNorm > 0 ? clipByGlobalNorm(g, raw, maxNorm) : undefined;
  const grads = clipped?.grads ?? raw;
  const updates = adamW(
    g,
    params.map((param, i) => ({ param, grad: grads[i], m: moments[i].m, v: moments[i].v })),
    lr,
    step,
    options,
  );
  const outputs: Record<string, Tensor> = { loss };
  if (clipped) outputs.grad_norm = clipped.norm;
  params.forEach((p, i) => {
    outputs[p.name] = updates[i].param;
    outputs[`${p.name}/m`] = updates[i].m;
    outputs[`${p.name}/v`] = updates[i].v;
  });
  return { lr, step, moments, outputs };
}
