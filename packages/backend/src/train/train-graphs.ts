import { grad } from "../autodiff.js";
import { Graph } from "../graph.js";
import { crossEntropy } from "../nn/loss.js";
import { distillationLoss } from "./distill.js";
import { adamW, type AdamWOptions } from "../optim/adamw.js";
import { clipByGlobalNorm } from "../optim/clip.js";
import type { Tensor } from "../ops/types.js";
import type { Architecture, Classifier } from "../models/architecture.js";
import type { LoraPlan } from "../models/lora-targets.js";

/**
 * The two graphs of LoRA training. The step graph runs one micro-batch: logits, the mean cross-entropy and its
 * gradient for every trainable input (`grad/<key>`). The update graph applies one optimizer step to host-averaged
 * gradients: global-norm clipping, then torch-style AdamW. Splitting them lets any number of micro-batches
 * accumulate on the host between updates, with no new graph per accumulation count.
 */

/** The forward/backward graph of the classifier. */
export interface StepGraph {
  readonly graph: Graph;
  readonly model: Classifier;
  /** int64 `[batch]` class labels. */
  readonly labels: Tensor;
  /** Distillation only: float32 `[batch, classes]` teacher probabilities, fed as `teacher_probs`; null otherwise. */
  readonly teacher: Tensor | null;
  /** Outputs of a training micro-batch: `loss`, `logits` and `grad/<key>` per trainable parameter. */
  readonly trainOutputs: Readonly<Record<string, Tensor>>;
  /** Outputs of an evaluation batch: `logits`. */
  readonly evalOutputs: Readonly<Record<string, Tensor>>;
}

/**
 * Builds the classifier with LoRA from `plan` (and its LoRA dropout, see `injectLora`), its loss and its gradients.
 * With a `distillWeight` the loss is `(1 − w)·CE + w·KL(teacher ‖ student)` over a `teacher_probs` input.
 */
export function buildStepGraph(architecture: Architecture, plan: LoraPlan, maxSeq: number, distillWeight: number | null = null): StepGraph {
  const graph = new Graph();
  const model = architecture.build(graph, { lora: plan, maxSeq, dropout: true });
  const labels = graph.input("labels", "int64", ["batch"]);
  const teacher = distillWeight === null ? null : graph.input("teacher_probs", "float32", ["batch", architecture.classes]);
  const loss = teacher ? distillationLoss(graph, model.logits, labels, teacher, distillWeight!) : crossEntropy(graph, model.logits, labels);
  const grads = grad(graph, loss, model.trainable.map((p) => p.tensor));
  const trainOutputs: Record<string, Tensor> = { loss, logits: model.logits };
  model.trainable.forEach((p, i) => (trainOutputs[`grad/${p.key}`] = grads[i]));
  return { graph, model, labels, teacher, trainOutputs, evalOutputs: { logits: model.logits } };
}

/**
 * The optimizer-step graph over all parameters packed into one flat vector (AdamW is elementwise and the clip norm
 * is global, so packing changes no value and turns hundreds of tiny nodes into a dozen): inputs `params`, `grads`,
 * `m`, `v` (each `[size]`), `lr`, `step`; outputs `new_params`, `new_m`, `new_v` and `grad_norm`.
 */
export interface UpdateGraph {
  readonly graph: Graph;
  readonly outputs: Readonly<Record<string, Tensor>>;
}

/** Options of the optimizer step. */
export interface UpdateOptions extends AdamWOptions {
  /** Clip the gradients to this global L2 norm; 0 turns clipping off. Defaults to `1`. */
  readonly maxGradNorm?: number;
}

/** Builds the AdamW step for `size` packed parameters. */
export function buildUpdateGraph(size: number, options: UpdateOptions = {}): UpdateGraph {
  const graph = new Graph();
  const params = graph.input("params", "float32", [size]);
  const rawGrads = graph.input("grads", "float32", [size]);
  const m = graph.input("m", "float32", [size]);
  const v = graph.input("v", "float32", [size]);
  const lr = graph.input("lr", "float32", []);
  const step = graph.input("step", "float32", []);
  const maxNorm = options.maxGradNorm ?? 1;
  // Without clipping the norm is still computed, for the log; its scaled gradient is simply not used.
  const measured = clipByGlobalNorm(graph, [rawGrads], maxNorm > 0 ? maxNorm : 1);
  const grads = maxNorm > 0 ? measured.grads[0] : rawGrads;
  const [update] = adamW(graph, [{ param: params, grad: grads, m, v }], lr, step, options);
  return { graph, outputs: { new_params: update.param, new_m: update.m, new_v: update.v, grad_norm: measured.norm } };
}
