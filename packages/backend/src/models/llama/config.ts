/**
 * The Llama family's architecture, parsed from a Hugging Face `config.json`. Field names on the JSON side are HF's
 * own; each family (llama, mistral, qwen2) has its HF defaults in `modelFamilies`, so a config that omits a field
 * gets the value transformers would use.
 */

import { ModelConfigError } from "../config-error.js";
import { parseHfLabels } from "../hf-labels.js";

export { ModelConfigError };

/** A `model_type` outside `modelFamilies`; the message lists the supported ones. */
export class UnsupportedModelTypeError extends Error {
  override readonly name = "UnsupportedModelTypeError";
  constructor(
    /** The config file (or label) that was parsed. */
    readonly source: string,
    /** The `model_type` found. */
    readonly modelType: string,
    /** The model types this package builds. */
    readonly supported: readonly string[],
  ) {
    super(`${source}: model_type ${JSON.stringify(modelType)} is not supported; supported: ${supported.join(", ")}`);
  }
}

/** The architecture of one Llama-family model with every HF default resolved. */
export interface LlamaConfig {
  /** HF `model_type`, a key of `modelFamilies`. */
  readonly modelType: string;
  /** HF `architectures`, e.g. `["LlamaForSequenceClassification"]`; empty when absent. */
  readonly architectures: readonly string[];
  /** HF `hidden_size`: width of the residual stream. */
  readonly hiddenSize: number;
  /** HF `num_hidden_layers`. */
  readonly numHiddenLayers: number;
  /** HF `num_attention_heads`: query heads. */
  readonly numAttentionHeads: number;
  /** HF `num_key_value_heads`: key/value heads (grouped-query attention when fewer than the query heads). */
  readonly numKeyValueHeads: number;
  /** HF `head_dim`, else `hidden_size / num_attention_heads`. */
  readonly headDim: number;
  /** HF `intermediate_size`: width of the SwiGLU MLP. */
  readonly intermediateSize: number;
  /** HF `vocab_size`. */
  readonly vocabSize: number;
  /** HF `rms_norm_eps`. */
  readonly rmsNormEps: number;
  /** HF `rope_theta`: base of the rotary frequencies. */
  readonly ropeTheta: number;
  /** HF `max_position_embeddings`. */
  readonly maxPositionEmbeddings: number;
  /** HF `tie_word_embeddings`: the LM head reuses `embed_tokens` (no `lm_head.weight` in the file). */
  readonly tieWordEmbeddings: boolean;
  /** Whether q/k/v projections carry a bias (Llama `attention_bias`; always true for Qwen2). */
  readonly qkvBias: boolean;
  /** Whether the o projection carries a bias (Llama `attention_bias`; never for Mistral and Qwen2). */
  readonly oBias: boolean;
  /** HF `mlp_bias` (Llama only): gate/up/down carry a bias. */
  readonly mlpBias: boolean;
  /** Keys further back than this many positions are masked (Mistral `sliding_window`, Qwen2 when `use_sliding_window`); null for none. */
  readonly slidingWindow: number | null;
  /** HF `pad_token_id`: sequence classification pools the last token that is not this one; null when unset. */
  readonly padTokenId: number | null;
  /** HF `bos_token_id`, null when unset. */
  readonly bosTokenId: number | null;
  /** HF `eos_token_id` (the first one when HF lists several), null when unset. */
  readonly eosTokenId: number | null;
  /** Labels of the classification head, index = class id (from `id2label`, else `num_labels` generic names). */
  readonly labels: readonly string[];
  /** HF `torch_dtype` (or `dtype`) of the stored weights, null when absent. */
  readonly storedDtype: string | null;
}

/** How one HF model family differs from Llama: its defaults and where its biases and sliding window come from. */
export interface ModelFamily {
  /** HF `model_type`. */
  readonly modelType: string;
  /** HF defaults of this family's config class for fields a config.json may omit. */
  readonly defaults: Readonly<Record<string, unknown>>;
  /** q/k/v bias, from the raw config. */
  qkvBias(raw: Readonly<Record<string, unknown>>): boolean;
  /** o bias, from the raw config. */
  oBias(raw: Readonly<Record<string, unknown>>): boolean;
  /** MLP bias, from the raw config. */
  mlpBias(raw: Readonly<Record<string, unknown>>): boolean;
  /** The sliding attention window, from the raw config; null for full causal attention. */
  slidingWindow(raw: Readonly<Record<string, unknown>>): number | null;
}

// Shared by every family in transformers' PretrainedConfig / family configs.
const commonDefaults = {
  hidden_act: "silu",
  rms_norm_eps: 1e-6,
  rope_theta: 10000,
  tie_word_embeddings: false,
  pad_token_id: null,
  rope_scaling: null,
} as const;

const flag = (raw: Readonly<Record<string, unknown>>, key: string): boolean => raw[key] === true;

/** The supported families keyed by HF `model_type`; SmolLM and SmolLM2 ship as `llama`. */
export const modelFamilies: ReadonlyMap<string, ModelFamily> = new Map<string, ModelFamily>([
  [
    "llama",
    {
      modelType: "llama",
      // transformers LlamaConfig.__init__
      defaults: {
        ...commonDefaults,
        vocab_size: 32000,
        hidden_size: 4096,
        intermediate_size: 11008,
        num_hidden_layers: 32,
        num_attention_heads: 32,
        max_position_embeddings: 2048,
        bos_token_id: 1,
        eos_token_id: 2,
      },
      qkvBias: (raw) => flag(raw, "attention_bias"),
      oBias: (raw) => flag(raw, "attention_bias"),
      mlpBias: (raw) => flag(raw, "mlp_bias"),
      slidingWindow: () => null,
    },
  ],
  [
    "mistral",
    {
      modelType: "mistral",
      // transformers MistralConfig.__init__
      defaults: {
        ...commonDefaults,
        vocab_size: 32000,
        hidden_size: 4096,
        intermediate_size: 14336,
        num_hidden_layers: 32,
        num_attention_heads: 32,
        num_key_value_heads: 8,
        max_position_embeddings: 4096 * 32,
        bos_token_id: 1,
        eos_token_id: 2,
        sliding_window: 4096,
      },
      qkvBias: () => false,
      oBias: () => false,
      mlpBias: () => false,
      slidingWindow: (raw) => (typeof raw.sliding_window === "number" ? raw.sliding_window : null),
    },
  ],
  [
    "qwen2",
    {
      modelType: "qwen2",
      // transformers Qwen2Config.__init__; Qwen2Attention hard-codes bias=True on q/k/v and bias=False on o.
      defaults: {
        ...commonDefaults,
        vocab_size: 151936,
        hidden_size: 4096,
        intermediate_size: 22016,
        num_hidden_layers: 32,
        num_attention_heads: 32,
        num_key_value_heads: 32,
        max_position_embeddings: 32768,
        bos_token_id: null,
        eos_token_id: null,
        use_sliding_window: false,
        sliding_window: 4096,
      },
      qkvBias: () => true,
      oBias: () => false,
      mlpBias: () => false,
      slidingWindow: (raw) =>
        raw.use_sliding_window === true && typeof raw.sliding_window === "number" ? raw.sliding_window : null,
    },
  ],
]);

/** Looks a family up by `model_type`, raising `UnsupportedModelTypeError` with the supported list. */
export function modelFamily(modelType: string, source = "config.json"): ModelFamily {
  const family = modelFamilies.get(modelType);
  if (!family) throw new UnsupportedModelTypeError(source, modelType, [...modelFamilies.keys()]);
  return family;
}

/** Parses a HF `config.json` object (already JSON-decoded) into a validated `LlamaConfig`. */
export function parseLlamaConfig(json: unknown, source = "config.json"): LlamaConfig {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new ModelConfigError(source, "(root)", `must be a JSON object, got ${describe(json)}`);
  }
  const given = json as Record<string, unknown>;
  if (typeof given.model_type !== "string") {
    throw new ModelConfigError(source, "model_type", `must be a string, got ${describe(given.model_type)}`);
  }
  const family = modelFamily(given.model_type, source);
  const raw: Record<string, unknown> = { ...family.defaults };
  for (const [key, value] of Object.entries(given)) if (value !== undefined) raw[key] = value;

  const int = (field: string, min: number): number => {
    const value = raw[field];
    if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
      throw new ModelConfigError(source, field, `must be an integer ≥ ${min}, got ${describe(value)}`);
    }
    return value;
  };
  const positive = (field: string): number => {
    const value = raw[field];
    if (typeof value !== "number" || !(value > 0) || !Number.isFinite(value)) {
      throw new ModelConfigError(source, field, `must be a finite number > 0, got ${describe(value)}`);
    }
    return value;
  };
  const tokenId = (field: string, vocabSize: number): number | null => {
    let value = raw[field];
    if (Array.isArray(value)) value = value[0];
    if (value === null || value === undefined) return null;
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value >= vocabSize) {
      throw new ModelConfigError(source, field, `must be null or a token id in [0, ${vocabSize}), got ${describe(value)}`);
    }
    return value;
  };

  const hiddenSize = int("hidden_size", 1);
  const numAttentionHeads = int("num_attention_heads", 1);
  if (raw.num_key_value_heads === null || raw.num_key_value_heads === undefined) raw.num_key_value_heads = numAttentionHeads;
  const numKeyValueHeads = int("num_key_value_heads", 1);
  if (numAttentionHeads % numKeyValueHeads !== 0) {
    throw new ModelConfigError(
      source,
      "num_key_value_heads",
      `must divide num_attention_heads (${numAttentionHeads}), got ${numKeyValueHeads}`,
    );
  }
  if (raw.head_dim === null || raw.head_dim === undefined) {
    if (hiddenSize % numAttentionHeads !== 0) {
      throw new ModelConfigError(
        source,
        "hidden_size",
        `must be a multiple of num_attention_heads (${numAttentionHeads}) when head_dim is absent, got ${hiddenSize}`,
      );
    }
    raw.head_dim = hiddenSize / numAttentionHeads;
  }
  const headDim = int("head_dim", 2);
  if (headDim % 2 !== 0) throw new ModelConfigError(source, "head_dim", `must be even for rotary embeddings, got ${headDim}`);
  const vocabSize = int("vocab_size", 1);

  if (raw.hidden_act !== "silu" && raw.hidden_act !== "swish") {
    throw new ModelConfigError(source, "hidden_act", `must be "silu" (SwiGLU), got ${describe(raw.hidden_act)}`);
  }
  const ropeScaling = raw.rope_scaling as Record<string, unknown> | null;
  if (ropeScaling !== null) {
    const kind = typeof ropeScaling === "object" ? (ropeScaling.rope_type ?? ropeScaling.type) : ropeScaling;
    if (kind !== "default") {
      throw new ModelConfigError(source, "rope_scaling", `must be null or of rope_type "default", got ${describe(kind)}`);
    }
  }
  if (typeof raw.tie_word_embeddings !== "boolean") {
    throw new ModelConfigError(source, "tie_word_embeddings", `must be a boolean, got ${describe(raw.tie_word_embeddings)}`);
  }
  const slidingWindow = family.slidingWindow(raw);
  if (slidingWindow !== null && (!Number.isInteger(slidingWindow) || slidingWindow < 1)) {
    throw new ModelConfigError(source, "sliding_window", `must be an integer ≥ 1, got ${describe(slidingWindow)}`);
  }
  const dtype = raw.torch_dtype ?? raw.dtype;

  return {
    modelType: family.modelType,
    architectures: Array.isArray(raw.architectures) ? raw.architectures.map(String) : [],
    hiddenSize,
    numHiddenLayers: int("num_hidden_layers", 1),
    numAttentionHeads,
    numKeyValueHeads,
    headDim,
    intermediateSize: int("intermediate_size", 1),
    vocabSize,
    rmsNormEps: positive("rms_norm_eps"),
    ropeTheta: positive("rope_theta"),
    maxPositionEmbeddings: int("max_position_embeddings", 1),
    tieWordEmbeddings: raw.tie_word_embeddings,
    qkvBias: family.qkvBias(raw),
    oBias: family.oBias(raw),
    mlpBias: family.mlpBias(raw),
    slidingWindow,
    padTokenId: tokenId("pad_token_id", vocabSize),
    bosTokenId: tokenId("bos_token_id", vocabSize),
    eosTokenId: tokenId("eos_token_id", vocabSize),
    labels: parseHfLabels(raw, source),
    storedDtype: typeof dtype === "string" ? dtype : null,
  };
}

function describe(value: unknown): string {
  return value === undefined ? "nothing" : JSON.stringify(value);
}
