import type { Graph } from "../graph.js";
import { loraLinear, type LoraAdapter } from "../nn/linear.js";
import { add, div, mul } from "../ops/index.js";
import type { Tensor } from "../ops/types.js";
import type { TrainableParameter } from "./architecture.js";
import type { LoraPlan } from "./lora-targets.js";

/**
 * A plan's adapters as graph inputs, shared by every family's graph builder: each Linear goes through `project`,
 * which adds the LoRA (or DoRA) branch when the plan adapts that module, and the head's tensors come from `head`.
 * Trained values are inputs, so one compiled graph serves every optimizer step.
 */
export interface LoraInjection {
  /** `x·W (+ bias)` for the Linear at `path` (`w` in the graph's `[in, out]` layout), with its adapter when it has one. */
  project(x: Tensor, path: string, w: Tensor, bias?: Tensor): Tensor;
  /** The trained input of head tensor `key` (graph layout: a weight `[hidden, classes]`); null when the head is frozen. */
  head(key: string): Tensor | null;
  /** LoRA factors (per target: A, B, DoRA's magnitude) then the head tensors, in plan order. */
  readonly trainable: readonly TrainableParameter[];
  /** DoRA only: the `<path>.dora_norm` inputs. */
  readonly doraNorms: readonly Tensor[];
}

/** DoRA's per-target inputs besides A and B. */
interface DoraInputs {
  /** `lora_magnitude_vector`, trained, `[out]`. */
  readonly magnitude: Tensor;
  /** ‖W + s·B·A‖ per output row, fed from `buildDoraNormGraph` (detached from the gradient, as PEFT does), `[out]`. */
  readonly norm: Tensor;
}

/** Declares the inputs of `plan` in `g` (none for null: the plain model). */
export function injectLora(g: Graph, plan: LoraPlan | null): LoraInjection {
  const trainable: TrainableParameter[] = [];
  const adapters = new Map<string, LoraAdapter>();
  const dora = new Map<string, DoraInputs>();
  const heads = new Map<string, Tensor>();
  for (const target of plan?.targets ?? []) {
    const a = g.input(`${target.path}.lora_A.weight`, "float32", [target.inFeatures, plan!.rank]);
    const b = g.input(`${target.path}.lora_B.weight`, "float32", [plan!.rank, target.outFeatures]);
    trainable.push({ key: a.name, tensor: a }, { key: b.name, tensor: b });
    adapters.set(target.path, { a, b, scale: plan!.scale });
    if (plan!.dora) {
      const magnitude = g.input(`${target.path}.lora_magnitude_vector`, "float32", [target.outFeatures]);
      trainable.push({ key: magnitude.name, tensor: magnitude });
      dora.set(target.path, { magnitude, norm: g.input(`${target.path}.dora_norm`, "float32", [target.outFeatures]) });
    }
  }
  for (const { key, shape } of plan?.head ?? []) {
    const tensor = g.input(key, "float32", shape.length === 2 ? [shape[1], shape[0]] : [...shape]);
    trainable.push({ key, tensor });
    heads.set(key, tensor);
  }
  return {
    trainable,
    doraNorms: [...dora.values()].map((d) => d.norm),
    head: (key) => heads.get(key) ?? null,
    project(x, path, w, bias) {
      const doraInputs = dora.get(path);
      if (!doraInputs) return loraLinear(g, x, w, adapters.get(path), bias);
      // DoRA: m / ‖W + s·B·A‖ ⊙ (x·W + s·x·A·B) + bias
      const scaled = mul(g, loraLinear(g, x, w, adapters.get(path)), div(g, doraInputs.magnitude, doraInputs.norm));
      return bias ? add(g, scaled, bias) : scaled;
    },
  };
}
