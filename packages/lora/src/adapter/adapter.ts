/** A whole LoRA adapter in memory, and weighted averaging of adapters (fold soups). */
import type { LoraConfig } from "../config.js";
import { AdapterKeyError, AdapterShapeError, ShapeError } from "../errors.js";
import type { LoraLayerWeights } from "../layer.js";
import type { Tensor } from "../safetensors/dtypes.js";

/** A LoRA adapter: its config, its per-module LoRA tensors and its fully trained modules (the classifier head). */
export interface LoraAdapter {
  /** The adapter_config.json contents. */
  config: LoraConfig;
  /** LoRA tensors by module path inside the transformers model, e.g. "model.layers.0.self_attn.q_proj". */
  layers: Map<string, LoraLayerWeights>;
  /** modules_to_save parameters by path inside the transformers model, e.g. "score.weight", as F32. */
  modulesToSave: Map<string, Tensor<"F32">>;
}

/**
 * The weighted average of adapters tensor by tensor (A, B, magnitude and head each averaged on their own), as used
 * for soups of fold models. Weights are normalised to sum to 1 and default to equal. Averaging factors is not
 * averaging the products B·A; soups of adapters trained from one init stay close enough for it to work.
 */
export function averageAdapters(adapters: readonly LoraAdapter[], weights?: readonly number[]): LoraAdapter {
  if (adapters.length === 0) throw new RangeError("averageAdapters: no adapters given");
  const w = weights ?? adapters.map(() => 1);
  if (w.length !== adapters.length) throw new RangeError(`averageAdapters: ${w.length} weights for ${adapters.length} adapters`);
  if (w.some((v) => !Number.isFinite(v) || v < 0)) throw new RangeError(`averageAdapters: weights ${JSON.stringify(w)} must be finite and ≥ 0`);
  const total = w.reduce((a, b) => a + b, 0);
  if (total <= 0) throw new RangeError("averageAdapters: weights sum to 0");
  const norm = w.map((v) => v / total);
  const [first] = adapters;
  for (const [n, other] of adapters.entries()) {
    if (other.config.r !== first.config.r || other.config.use_dora !== first.config.use_dora) {
      throw new ShapeError(`averageAdapters: adapter ${n} has r=${other.config.r}, use_dora=${other.config.use_dora}; adapter 0 has r=${first.config.r}, use_dora=${first.config.use_dora}`);
    }
    sameKeys(n, first.layers, other.layers);
    sameKeys(n, first.modulesToSave, other.modulesToSave);
  }
  const layers = new Map<string, LoraLayerWeights>();
  for (const [path, layer] of first.layers) {
    const pick = (a: LoraAdapter) => a.layers.get(path) as LoraLayerWeights;
    layers.set(path, {
      inFeatures: layer.inFeatures,
      outFeatures: layer.outFeatures,
      r: layer.r,
      A: mix(`${path}.lora_A`, adapters.map((a) => pick(a).A), norm),
      B: mix(`${path}.lora_B`, adapters.map((a) => pick(a).B), norm),
      magnitude: layer.magnitude === null ? null : mix(`${path}.lora_magnitude_vector`, adapters.map((a) => pick(a).magnitude as Float32Array), norm),
    });
  }
  const modulesToSave = new Map<string, Tensor<"F32">>();
  for (const [path, t] of first.modulesToSave) {
    const all = adapters.map((a) => a.modulesToSave.get(path) as Tensor<"F32">);
    for (const other of all) {
      if (other.shape.join() !== t.shape.join()) throw new AdapterShapeError(path, other.shape, t.shape);
    }
    modulesToSave.set(path, { dtype: "F32", shape: [...t.shape], data: mix(path, all.map((x) => x.data), norm) });
  }
  return { config: structuredClone(first.config), layers, modulesToSave };
}

function sameKeys(n: number, a: ReadonlyMap<string, unknown>, b: ReadonlyMap<string, unknown>) {
  for (const key of a.keys()) if (!b.has(key)) throw new AdapterKeyError(key, `missing from adapter ${n} but present in adapter 0`);
  for (const key of b.keys()) if (!a.has(key)) throw new AdapterKeyError(key, `present in adapter ${n} but missing from adapter 0`);
}

function mix(name: string, parts: readonly Float32Array[], weights: readonly number[]): Float32Array {
  const out = new Float32Array(parts[0].length);
  for (const [n, part] of parts.entries()) {
    if (part.length !== out.length) throw new ShapeError(`averageAdapters: "${name}" has ${part.length} elements in adapter ${n}, ${out.length} in adapter 0`);
    const wn = weights[n];
    for (let i = 0; i < out.length; i++) out[i] += wn * part[i];
  }
  return out;
}
