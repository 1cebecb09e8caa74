import { SEQ_CLS_HEADS, loraScaling, type LoraConfig } from "@lora-litee/lora";
import type { LlamaConfig } from "./config.js";
import { llamaLayerLinears, llamaLinearShape, type LlamaLinearName } from "./weights.js";

/**
 * Which Linear modules of a Llama-family classifier get LoRA, resolved from a `LoraConfig` the way PEFT resolves it
 * (`check_target_module_exists`): list entries match a module whose full name equals the entry or ends with
 * `.entry`; a string is a regex that must match the whole name; `"all-linear"` means every Linear except the
 * classification head; null means PEFT's default for the family (q_proj and v_proj).
 */

/** One adapted Linear. */
export interface LoraTarget {
  /** Full module path, as in PEFT keys: `model.layers.3.self_attn.q_proj`. */
  readonly path: string;
  /** Decoder layer index. */
  readonly layer: number;
  /** Module name within the layer. */
  readonly module: LlamaLinearName;
  /** Output features (rows of W, of lora_B). */
  readonly outFeatures: number;
  /** Input features (columns of W, of lora_A). */
  readonly inFeatures: number;
}

/** Everything the graph needs to inject the adapter. */
export interface LoraPlan {
  /** Adapted Linears in model order (layer, then q, k, v, o, gate, up, down). */
  readonly targets: readonly LoraTarget[];
  /** The rank r. */
  readonly rank: number;
  /** Scale of the LoRA branch: alpha / r, or alpha / √r with rsLoRA. */
  readonly scale: number;
  /** Dropout probability on the LoRA branch's input. */
  readonly dropout: number;
  /** Whether DoRA's magnitude vectors are trained too. */
  readonly dora: boolean;
  /** Parameters trained in full and saved whole (the `score` head for sequence classification). */
  readonly modulesToSave: readonly string[];
}

/** A LoraConfig that selects nothing, or names modules this architecture lacks. */
export class LoraTargetError extends Error {
  override readonly name = "LoraTargetError";
}

/** PEFT's TRANSFORMERS_MODELS_TO_LORA_TARGET_MODULES_MAPPING for the supported families. */
const DEFAULT_TARGETS = ["q_proj", "v_proj"];
const ALL_LINEAR = "all-linear";

/** Resolves the adapted modules and the trained head of `lora` on the model described by `config`. */
export function planLora(config: LlamaConfig, lora: LoraConfig): LoraPlan {
  const modules = Object.keys(llamaLayerLinears) as LlamaLinearName[];
  const layers = layerFilter(lora, config.numHiddenLayers);
  const targetSpec = lora.target_modules ?? DEFAULT_TARGETS;
  // PEFT expands only the string "all-linear" (a list entry would be matched literally).
  const names = targetSpec === ALL_LINEAR ? modules : targetSpec;

  const matches = (path: string): boolean => {
    if (typeof names === "string") return new RegExp(`^(?:${names})$`).test(path);
    return names.some((name) => path === name || path.endsWith(`.${name}`));
  };
  const targets: LoraTarget[] = [];
  const used = new Set<string>();
  for (let layer = 0; layer < config.numHiddenLayers; layer++) {
    if (!layers(layer)) continue;
    for (const module of modules) {
      const path = `model.layers.${layer}.${llamaLayerLinears[module]}`;
      if (!matches(path)) continue;
      if (Array.isArray(names)) for (const name of names) if (path === name || path.endsWith(`.${name}`)) used.add(name);
      const shape = llamaLinearShape(config, module);
      targets.push({ path, layer, module, outFeatures: shape.out, inFeatures: shape.in });
    }
  }
  if (Array.isArray(names)) {
    const unknown = names.filter((name) => !used.has(name) && !SEQ_CLS_HEADS.includes(name as (typeof SEQ_CLS_HEADS)[number]));
    if (unknown.length > 0) {
      throw new LoraTargetError(
        `target_modules ${JSON.stringify(unknown)} match no Linear of this ${config.modelType} model` +
          (layers === everyLayer ? "" : " in layers_to_transform") +
          `; its Linears are ${modules.join(", ")} (or "${ALL_LINEAR}")`,
      );
    }
  }
  if (targets.length === 0) throw new LoraTargetError(`target_modules ${JSON.stringify(targetSpec)} select no module of this ${config.modelType} model`);

  // PEFT adds both heads ("classifier", "score") to modules_to_save for SEQ_CLS and wraps those the model has;
  // decoders have `score` only.
  const saved = new Set(lora.modules_to_save ?? []);
  if (lora.task_type === "SEQ_CLS") saved.add("score");
  for (const name of saved) {
    if (!SEQ_CLS_HEADS.includes(name as (typeof SEQ_CLS_HEADS)[number])) {
      throw new LoraTargetError(`modules_to_save ${JSON.stringify(name)}: only the classification head "score" can be trained in full`);
    }
  }
  const modulesToSave = saved.has("score") ? ["score.weight"] : [];
  return { targets, rank: lora.r, scale: loraScaling(lora), dropout: lora.lora_dropout, dora: lora.use_dora, modulesToSave };
}

const everyLayer = () => true;

function layerFilter(lora: LoraConfig, count: number): (layer: number) => boolean {
  const spec = lora.layers_to_transform;
  if (spec === null) return everyLayer;
  const pattern = lora.layers_pattern;
  if (pattern !== null && !(pattern === "layers" || (Array.isArray(pattern) && pattern.includes("layers")))) {
    throw new LoraTargetError(`layers_pattern ${JSON.stringify(pattern)}: Llama-family layers live in "layers"`);
  }
  const wanted = new Set(typeof spec === "number" ? [spec] : spec);
  const outside = [...wanted].filter((layer) => layer >= count);
  if (outside.length > 0) throw new LoraTargetError(`layers_to_transform ${JSON.stringify(outside)}: the model has layers 0..${count - 1}`);
  return (layer) => wanted.has(layer);
}
