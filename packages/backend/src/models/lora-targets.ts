import { SEQ_CLS_HEADS, loraScaling, type LoraConfig } from "@lora-litee/lora";
import type { Architecture, HeadTensor } from "./architecture.js";

/**
 * Which Linear modules of a classifier get LoRA, resolved from a `LoraConfig` the way PEFT resolves it
 * (`check_target_module_exists`): list entries match a module whose full name equals the entry or ends with
 * `.entry`; a string is a regex that must match the whole name; `"all-linear"` means every Linear except the
 * classification head; null means PEFT's default for the family (q_proj and v_proj; BERT's query and value).
 */

/** One adapted Linear. */
export interface LoraTarget {
  /** Full module path, as in PEFT keys: `model.layers.3.self_attn.q_proj`. */
  readonly path: string;
  /** Layer index; null outside the layer stack (BERT's pooler). */
  readonly layer: number | null;
  /** Module name, the path's last component (`q_proj`, `query`, `dense`). */
  readonly module: string;
  /** Output features (rows of W, of lora_B). */
  readonly outFeatures: number;
  /** Input features (columns of W, of lora_A). */
  readonly inFeatures: number;
}

/** Everything the graph needs to inject the adapter. */
export interface LoraPlan {
  /** Adapted Linears in model order (layer by layer, HF module order within one). */
  readonly targets: readonly LoraTarget[];
  /** The rank r. */
  readonly rank: number;
  /** Scale of the LoRA branch: alpha / r, or alpha / √r with rsLoRA. */
  readonly scale: number;
  /** Dropout probability on the LoRA branch's input. */
  readonly dropout: number;
  /** Whether DoRA's magnitude vectors are trained too. */
  readonly dora: boolean;
  /** Head module trained in full and saved whole under modules_to_save (`score`, or BERT's `classifier`). */
  readonly headModule: "score" | "classifier";
  /** The head's tensors, HF layout. */
  readonly head: readonly HeadTensor[];
}

/** A LoraConfig that selects nothing, or names modules this architecture lacks. */
export class LoraTargetError extends Error {
  override readonly name = "LoraTargetError";
}

const ALL_LINEAR = "all-linear";

/** Resolves the adapted modules and the trained head of `lora` on `architecture`. */
export function planLora(architecture: Architecture, lora: LoraConfig): LoraPlan {
  const { linears, modelType } = architecture;
  const layers = layerFilter(lora, architecture);
  const targetSpec = lora.target_modules ?? architecture.defaultTargets;
  // PEFT expands only the string "all-linear" (a list entry would be matched literally).
  const names = targetSpec === ALL_LINEAR ? null : targetSpec;
  const matches = (path: string): boolean => {
    if (names === null) return true;
    if (typeof names === "string") return new RegExp(`^(?:${names})$`).test(path);
    return names.some((name) => path === name || path.endsWith(`.${name}`));
  };
  const targets: LoraTarget[] = [];
  const used = new Set<string>();
  for (const linear of linears) {
    if (!layers(linear.layer) || !matches(linear.path)) continue;
    if (Array.isArray(names)) for (const name of names) if (linear.path === name || linear.path.endsWith(`.${name}`)) used.add(name);
    targets.push({ path: linear.path, layer: linear.layer, module: linear.name, outFeatures: linear.outFeatures, inFeatures: linear.inFeatures });
  }
  if (Array.isArray(names)) {
    const unknown = names.filter((name) => !used.has(name) && !SEQ_CLS_HEADS.includes(name as (typeof SEQ_CLS_HEADS)[number]));
    if (unknown.length > 0) {
      const known = [...new Set(linears.map((l) => l.name))];
      throw new LoraTargetError(
        `target_modules ${JSON.stringify(unknown)} match no Linear of this ${modelType} model` +
          (lora.layers_to_transform === null ? "" : " in layers_to_transform") +
          `; its Linears are ${known.join(", ")} (or "${ALL_LINEAR}")`,
      );
    }
  }
  if (targets.length === 0) throw new LoraTargetError(`target_modules ${JSON.stringify(targetSpec)} select no module of this ${modelType} model`);

  // PEFT adds both heads ("classifier", "score") to modules_to_save for SEQ_CLS and wraps the one the model has.
  for (const name of lora.modules_to_save ?? []) {
    if (!SEQ_CLS_HEADS.includes(name as (typeof SEQ_CLS_HEADS)[number])) {
      throw new LoraTargetError(`modules_to_save ${JSON.stringify(name)}: only the classification head "${architecture.head.module}" can be trained in full`);
    }
  }
  const { module: headModule, tensors: head } = architecture.head;
  return { targets, rank: lora.r, scale: loraScaling(lora), dropout: lora.lora_dropout, dora: lora.use_dora, headModule, head };
}

function layerFilter(lora: LoraConfig, architecture: Architecture): (layer: number | null) => boolean {
  const spec = lora.layers_to_transform;
  if (spec === null) return () => true;
  const pattern = lora.layers_pattern;
  const wantedPattern = architecture.layersPattern;
  if (pattern !== null && !(pattern === wantedPattern || (Array.isArray(pattern) && pattern.includes(wantedPattern)))) {
    throw new LoraTargetError(`layers_pattern ${JSON.stringify(pattern)}: ${architecture.modelType} layers live in "${wantedPattern}"`);
  }
  const count = architecture.layerCount;
  const wanted = new Set(typeof spec === "number" ? [spec] : spec);
  const outside = [...wanted].filter((layer) => layer >= count);
  if (outside.length > 0) throw new LoraTargetError(`layers_to_transform ${JSON.stringify(outside)}: the model has layers 0..${count - 1}`);
  // PEFT matches layer indices inside the layer stack only; modules outside it are never selected then.
  return (layer) => layer !== null && wanted.has(layer);
}
