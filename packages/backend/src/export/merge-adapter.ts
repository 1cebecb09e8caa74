import { loraScaling, merge, type LoraAdapter } from "@lora-litee/lora";
import { architectureOf } from "../models/architecture-of.js";
import type { HfModel, HfWeight } from "../models/hf-model.js";
import { planLora } from "../models/lora-targets.js";
import { AdapterMismatchError, fromAdapter } from "../train/lora-parameters.js";

/** LoRA folded into base weights with `@lora-litee/lora`'s `merge` (W + s·B·A, or DoRA's rescaled rows). */

/** A model's weights with the adapter merged, checked against its LoRA plan, and the trained head in place of the model's. */
export function mergedWeights(model: HfModel, adapter: LoraAdapter, source = "(adapter)"): Map<string, HfWeight> {
  const plan = planLora(architectureOf(model), adapter.config);
  // Checks targets, ranks and the head against the model before anything is merged.
  fromAdapter(plan, adapter, source);
  return mergeAdapterByPath(model.weights, adapter, source);
}

/**
 * Any family's weights with the adapter merged: each LoRA layer at module path p updates `p.weight`, each tensor
 * under modules_to_save replaces the model's tensor of that key. Shapes must match; nothing is merged otherwise.
 */
export function mergeAdapterByPath(weights: ReadonlyMap<string, HfWeight>, adapter: LoraAdapter, source = "(adapter)"): Map<string, HfWeight> {
  const out = new Map(weights);
  const scale = loraScaling(adapter.config);
  const problems: string[] = [];
  for (const [path, layer] of adapter.layers) {
    const base = weights.get(`${path}.weight`);
    if (!base) problems.push(`LoRA on ${path}, which the model lacks`);
    else if (base.shape[0] !== layer.outFeatures || base.shape[1] !== layer.inFeatures) problems.push(`${path}: LoRA for ${layer.outFeatures}×${layer.inFeatures}, model weight [${base.shape.join(", ")}]`);
  }
  for (const [key, tensor] of adapter.modulesToSave) {
    const base = weights.get(key);
    if (!base) problems.push(`modules_to_save ${key}, which the model lacks`);
    else if (base.shape.length !== tensor.shape.length || base.shape.some((n, i) => n !== tensor.shape[i])) problems.push(`${key}: [${tensor.shape.join(", ")}] vs the model's [${base.shape.join(", ")}]`);
  }
  if (problems.length) throw new AdapterMismatchError(`${source}: adapter does not fit the model — ${problems.join("; ")}`);
  for (const [path, layer] of adapter.layers) {
    const base = weights.get(`${path}.weight`)!;
    const data = Float32Array.from(base.data);
    merge(data, layer, scale, { safe: true, layer: `${source}: ${path}` });
    out.set(`${path}.weight`, { shape: base.shape, data });
  }
  for (const [key, tensor] of adapter.modulesToSave) out.set(key, { shape: [...tensor.shape], data: Float32Array.from(tensor.data) });
  return out;
}
