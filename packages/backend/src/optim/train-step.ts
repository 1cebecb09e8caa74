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
  /** Outputs by name: `loss`, `grad_norm`, and `<input>.next` for each parameter and moment input. */
  readonly outputs: Readonly<Record<string, Tensor>>;
  /** Input name → output name to feed back after each run (parameters and moments). */
  readonly feedback: ReadonlyMap<string, string>;
}

/**
 * Forward loss → gradients of `params` → global-norm clipping → AdamW, all in `g`, so one session run is one step.
 * Updated parameters and moments come out as `<input>.next`; {@link TrainStep.feedback} pairs them with their inputs.
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
  const feedback = new Map<string, string>();
  params.forEach((p, i) => {
    for (const [input, value] of [[p, updates[i].param], [moments[i].m, updates[i].m], [moments[i].v, updates[i].v]] as const) {
      outputs[`${input.name}.next`] = value;
      feedback.set(input.name, `${input.name}.next`);
    }
  });
  return { lr, step, moments, outputs, feedback };
}
