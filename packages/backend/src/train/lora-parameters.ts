import { initLoraLayer, type LoraAdapter, type LoraConfig, type LoraLayerWeights, type Rng } from "@lora-litee/lora";
import { transpose2d } from "../models/llama/graph.js";
import type { LoraPlan } from "../models/llama/lora-targets.js";
import type { HfWeight } from "../models/hf-model.js";

/**
 * The trained values of a run, keyed like the graph's trainable inputs (`….lora_A.weight`, `score.weight`) and
 * held in the graph's `[in, out]` layout; converted to and from PEFT's `LoraAdapter` (`[out, in]`) at the edges.
 */
export type TrainedParameters = Map<string, Float32Array>;

/** Adapter values that do not fit the plan; names the key and both shapes. */
export class AdapterMismatchError extends Error {
  override readonly name = "AdapterMismatchError";
}

/**
 * Fresh parameters: LoRA factors as `init_lora_weights` says (PEFT: Kaiming-uniform A, zero B), drawn target by
 * target in plan order from `rng`; the head from the checkpoint when it has one, else N(0, 0.02²) as HF initialises
 * a new `score`.
 */
export function initialParameters(
  plan: LoraPlan,
  lora: LoraConfig,
  weights: ReadonlyMap<string, HfWeight>,
  classes: number,
  hidden: number,
  rng: Rng,
): TrainedParameters {
  if (typeof lora.init_lora_weights === "string" && lora.init_lora_weights.startsWith("pissa")) {
    throw new AdapterMismatchError(`init_lora_weights ${JSON.stringify(lora.init_lora_weights)}: PiSSA rewrites the base weights, which training does not support yet`);
  }
  const params: TrainedParameters = new Map();
  for (const target of plan.targets) {
    const weight = weights.get(`${target.path}.weight`)?.data ?? null;
    const { lora: layer } = initLoraLayer({ inFeatures: target.inFeatures, outFeatures: target.outFeatures, weight }, lora, rng);
    setLayer(params, target.path, layer, plan.rank);
  }
  const head = weights.get("score.weight");
  const score = head ? Float32Array.from(head.data) : (rng.fillNormal(new Float32Array(classes * hidden), 0.02) as Float32Array);
  params.set("score.weight", transpose2d(score, classes, hidden));
  return params;
}

/** The PEFT adapter (config + LoRA layers + the head under modules_to_save) holding `params`. */
export function toAdapter(plan: LoraPlan, lora: LoraConfig, params: TrainedParameters, classes: number, hidden: number): LoraAdapter {
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
  const score = transpose2d(param(params, "score.weight"), hidden, classes);
  const modulesToSave = new Map([["score.weight", { dtype: "F32" as const, shape: [classes, hidden], data: score }]]);
  const config = { ...lora, modules_to_save: lora.modules_to_save ?? ["score"] };
  return { config, layers, modulesToSave };
}

/** Parameters from a loaded adapter, checked against the plan (same targets, rank and head shape). */
export function fromAdapter(plan: LoraPlan, adapter: LoraAdapter, classes: number, hidden: number): TrainedParameters {
  const params: TrainedParameters = new Map();
  const expected = new Set(plan.targets.map((t) => t.path));
  for (const path of adapter.layers.keys()) {
    if (!expected.has(path)) throw new AdapterMismatchError(`adapter has LoRA on ${path}, which the config's target_modules do not select`);
  }
  for (const target of plan.targets) {
    const layer = adapter.layers.get(target.path);
    if (!layer) throw new AdapterMismatchError(`adapter has no LoRA tensors for ${target.path}`);
    if (layer.r !== plan.rank || layer.inFeatures !== target.inFeatures || layer.outFeatures !== target.outFeatures) {
      throw new AdapterMismatchError(
        `${target.path}: adapter is r=${layer.r}, ${layer.outFeatures}×${layer.inFeatures}; the model needs r=${plan.rank}, ${target.outFeatures}×${target.inFeatures}`,
      );
    }
    if ((layer.magnitude !== null) !== plan.dora) {
      throw new AdapterMismatchError(`${target.path}: adapter ${layer.magnitude ? "has" : "lacks"} a DoRA magnitude but use_dora is ${plan.dora}`);
    }
    setLayer(params, target.path, layer, plan.rank);
  }
  const score = adapter.modulesToSave.get("score.weight");
  if (!score || score.shape[0] !== classes || score.shape[1] !== hidden) {
    throw new AdapterMismatchError(`adapter's score.weight is ${score ? `[${score.shape.join(", ")}]` : "missing"}; the model needs [${classes}, ${hidden}]`);
  }
  params.set("score.weight", transpose2d(score.data, classes, hidden));
  return params;
}

/** A layer's tensors in graph layout: A `[in, r]`, B `[r, out]`, the magnitude as is. */
function setLayer(params: TrainedParameters, path: string, layer: LoraLayerWeights, rank: number): void {
  params.set(`${path}.lora_A.weight`, transpose2d(layer.A, rank, layer.inFeatures));
  params.set(`${path}.lora_B.weight`, transpose2d(layer.B, layer.outFeatures, rank));
  if (layer.magnitude) params.set(`${path}.lora_magnitude_vector`, Float32Array.from(layer.magnitude));
}

function param(params: TrainedParameters, key: string): Float32Array {
  const value = params.get(key);
  if (!value) throw new AdapterMismatchError(`no trained value for ${key}`);
  return value;
}
