import { initLoraLayer, type LoraAdapter, type LoraConfig, type LoraLayerWeights, type Rng } from "@lora-litee/lora";
import type { HeadTensor } from "../models/architecture.js";
import type { HfWeight } from "../models/hf-files.js";
import type { LoraPlan } from "../models/lora-targets.js";
import { transpose2d } from "../models/transpose.js";

/**
 * The trained values of a run, keyed like the graph's trainable inputs (`….lora_A.weight`, `score.weight`,
 * `classifier.bias`) and
 * held in the graph's `[in, out]` layout; converted to and from PEFT's `LoraAdapter` (`[out, in]`) at the edges.
 */
export type TrainedParameters = Map<string, Float32Array>;

/** Adapter values that do not fit the plan; names the key and both shapes. */
export class AdapterMismatchError extends Error {
  override readonly name = "AdapterMismatchError";
}

/**
 * Fresh parameters: LoRA factors as `init_lora_weights` says (PEFT: Kaiming-uniform A, zero B), drawn target by
 * target in plan order from `rng`; the head from the checkpoint when it has one, else as HF initialises a new head:
 * weights N(0, 0.02²), biases zero.
 */
export function initialParameters(plan: LoraPlan, lora: LoraConfig, weights: ReadonlyMap<string, HfWeight>, rng: Rng): TrainedParameters {
  if (typeof lora.init_lora_weights === "string" && lora.init_lora_weights.startsWith("pissa")) {
    throw new AdapterMismatchError(`init_lora_weights ${JSON.stringify(lora.init_lora_weights)}: PiSSA rewrites the base weights, which training does not support yet`);
  }
  const params: TrainedParameters = new Map();
  for (const target of plan.targets) {
    const weight = weights.get(`${target.path}.weight`)?.data ?? null;
    const { lora: layer } = initLoraLayer({ inFeatures: target.inFeatures, outFeatures: target.outFeatures, weight }, lora, rng);
    setLayer(params, target.path, layer, plan.rank);
  }
  for (const tensor of plan.head) {
    const stored = weights.get(tensor.key)?.data;
    const fresh = () => {
      const values = new Float32Array(tensor.shape.reduce((a, b) => a * b, 1));
      return tensor.shape.length === 2 ? (rng.fillNormal(values, 0.02) as Float32Array) : values;
    };
    params.set(tensor.key, toGraphLayout(tensor, stored ? Float32Array.from(stored) : fresh()));
  }
  return params;
}

/** The PEFT adapter (config + LoRA layers + the head under modules_to_save) holding `params`. */
export function toAdapter(plan: LoraPlan, lora: LoraConfig, params: TrainedParameters): LoraAdapter {
  const layers = new Map<string, LoraLayerWeights>();
  for (const target of plan.targets) {
    layers.set(target.path, {
      inFeatures: target.inFeatures,
      outFeatures: target.outFeatures,
      r: plan.rank,
      A: transpose2d(param(params, `${target.path}.lora_A.weight`), target.inFeatures, plan.rank),
      B: transpose2d(param(params, `${target.path}.lora_B.weight`), plan.rank, target.outFeatures),
      magnitude: plan.dora ? param(params, `${target.path}.lora_magnitude_vector`) : null,
    });
  }
  const modulesToSave = new Map(
    plan.head.map((tensor) => [tensor.key, { dtype: "F32" as const, shape: [...tensor.shape], data: fromGraphLayout(tensor, param(params, tensor.key)) }]),
  );
  const config = { ...lora, modules_to_save: lora.modules_to_save ?? [plan.headModule] };
  return { config, layers, modulesToSave };
}

/**
 * Parameters from a loaded adapter, checked against the plan (same targets, rank and head shape); a mismatch is an
 * `AdapterMismatchError` that begins with `source` (the adapter's folder or file) and names the module.
 */
export function fromAdapter(plan: LoraPlan, adapter: LoraAdapter, source = "(adapter)"): TrainedParameters {
  const mismatch = (message: string) => new AdapterMismatchError(`${source}: ${message}`);
  const params: TrainedParameters = new Map();
  const expected = new Set(plan.targets.map((t) => t.path));
  for (const path of adapter.layers.keys()) {
    if (!expected.has(path)) throw mismatch(`adapter has LoRA on ${path}, which the config's target_modules do not select`);
  }
  for (const target of plan.targets) {
    const layer = adapter.layers.get(target.path);
    if (!layer) throw mismatch(`adapter has no LoRA tensors for ${target.path}`);
    if (layer.r !== plan.rank || layer.inFeatures !== target.inFeatures || layer.outFeatures !== target.outFeatures) {
      throw mismatch(
        `${target.path}: adapter is r=${layer.r}, ${layer.outFeatures}×${layer.inFeatures}; the model needs r=${plan.rank}, ${target.outFeatures}×${target.inFeatures}`,
      );
    }
    if ((layer.magnitude !== null) !== plan.dora) {
      throw mismatch(`${target.path}: adapter ${layer.magnitude ? "has" : "lacks"} a DoRA magnitude but use_dora is ${plan.dora}`);
    }
    setLayer(params, target.path, layer, plan.rank);
  }
  for (const tensor of plan.head) {
    const stored = adapter.modulesToSave.get(tensor.key);
    if (!stored || stored.shape.length !== tensor.shape.length || stored.shape.some((n, i) => n !== tensor.shape[i])) {
      throw mismatch(`adapter's ${tensor.key} is ${stored ? `[${stored.shape.join(", ")}]` : "missing"}; the model needs [${tensor.shape.join(", ")}]`);
    }
    params.set(tensor.key, toGraphLayout(tensor, Float32Array.from(stored.data)));
  }
  return params;
}

/** A layer's tensors in graph layout: A `[in, r]`, B `[r, out]`, the magnitude as is. */
function setLayer(params: TrainedParameters, path: string, layer: LoraLayerWeights, rank: number): void {
  params.set(`${path}.lora_A.weight`, transpose2d(layer.A, rank, layer.inFeatures));
  params.set(`${path}.lora_B.weight`, transpose2d(layer.B, layer.outFeatures, rank));
  if (layer.magnitude) params.set(`${path}.lora_magnitude_vector`, Float32Array.from(layer.magnitude));
}

/** A head weight `[classes, hidden]` goes in as `[hidden, classes]`; a bias as is. */
function toGraphLayout(tensor: HeadTensor, data: Float32Array): Float32Array {
  return tensor.shape.length === 2 ? transpose2d(data, tensor.shape[0], tensor.shape[1]) : data;
}

function fromGraphLayout(tensor: HeadTensor, data: Float32Array): Float32Array {
  return tensor.shape.length === 2 ? transpose2d(data, tensor.shape[1], tensor.shape[0]) : Float32Array.from(data);
}

function param(params: TrainedParameters, key: string): Float32Array {
  const value = params.get(key);
  if (!value) throw new AdapterMismatchError(`no trained value for ${key}`);
  return value;
}
