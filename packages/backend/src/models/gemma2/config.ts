import { llamaLayerLinears } from "../llama/weights.js";
import { ModelConfigError, UnsupportedModelTypeError } from "../llama/config.js";
import { ConfigFields, parseHfLabels } from "../hf-labels.js";

/** Gemma-2 parsed from a HF `config.json`, with transformers' `Gemma2Config` defaults for absent fields. */

/** The architecture of one Gemma-2 model, every HF default resolved. */
export interface Gemma2Config {
  /** HF `model_type`: `"gemma2"`. */
  readonly modelType: "gemma2";
  /** HF `vocab_size`. */
  readonly vocabSize: number;
  /** HF `hidden_size`; embeddings are scaled by its square root. */
  readonly hiddenSize: number;
  /** HF `num_hidden_layers`. */
  readonly numHiddenLayers: number;
  /** HF `num_attention_heads`. */
  readonly numAttentionHeads: number;
  /** HF `num_key_value_heads`. */
  readonly numKeyValueHeads: number;
  /** HF `head_dim` (Gemma-2 sets it apart from hidden / heads). */
  readonly headDim: number;
  /** HF `intermediate_size`: width of the GeGLU block. */
  readonly intermediateSize: number;
  /** HF `rms_norm_eps`. */
  readonly rmsNormEps: number;
  /** HF `rope_theta`. */
  readonly ropeTheta: number;
  /** HF `max_position_embeddings`. */
  readonly maxPositionEmbeddings: number;
  /** HF `query_pre_attn_scalar`: attention scores are scaled by its inverse square root (not head_dim's). */
  readonly queryPreAttnScalar: number;
  /** HF `attn_logit_softcapping`: scores become cap·tanh(score/cap); null for none. */
  readonly attnLogitSoftcapping: number | null;
  /** HF `final_logit_softcapping`: the LM head's cap (see `Gemma2GraphOptions.finalSoftcap`); null for none. */
  readonly finalLogitSoftcapping: number | null;
  /** HF `sliding_window`: how far back a sliding layer's keys reach. */
  readonly slidingWindow: number;
  /** Per layer, whether it attends within the sliding window (HF `layer_types`; by default even layers slide). */
  readonly slidingLayers: readonly boolean[];
  /** HF `pad_token_id`, null when unset. */
  readonly padTokenId: number | null;
  /** HF `bos_token_id`, null when unset. */
  readonly bosTokenId: number | null;
  /** HF `eos_token_id` (the first when several), null when unset. */
  readonly eosTokenId: number | null;
  /** Labels of the classification head. */
  readonly labels: readonly string[];
}

/** transformers Gemma2Config.__init__ */
const GEMMA2_DEFAULTS: Readonly<Record<string, unknown>> = {
  vocab_size: 256000,
  hidden_size: 2304,
  intermediate_size: 9216,
  num_hidden_layers: 26,
  num_attention_heads: 8,
  num_key_value_heads: 4,
  head_dim: 256,
  hidden_activation: "gelu_pytorch_tanh",
  max_position_embeddings: 8192,
  rms_norm_eps: 1e-6,
  pad_token_id: 0,
  eos_token_id: 1,
  bos_token_id: 2,
  rope_theta: 10000,
  attention_bias: false,
  query_pre_attn_scalar: 256,
  sliding_window: 4096,
  final_logit_softcapping: 30.0,
  attn_logit_softcapping: 50.0,
  rope_scaling: null,
};

/** Parses a HF `config.json` object of a Gemma-2 model. */
export function parseGemma2Config(json: unknown, source = "config.json"): Gemma2Config {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new ModelConfigError(source, "(root)", `must be a JSON object, got ${JSON.stringify(json)}`);
  }
  const given = json as Record<string, unknown>;
  if (given.model_type !== "gemma2") throw new UnsupportedModelTypeError(source, String(given.model_type), ["gemma2"]);
  const raw: Record<string, unknown> = { ...GEMMA2_DEFAULTS };
  for (const [key, value] of Object.entries(given)) if (value !== undefined) raw[key] = value;
  const f = new ConfigFields(raw, source);

  const numAttentionHeads = f.int("num_attention_heads", 1);
  const numKeyValueHeads = f.int("num_key_value_heads", 1);
  if (numAttentionHeads % numKeyValueHeads !== 0) {
    throw new ModelConfigError(source, "num_key_value_heads", `must divide num_attention_heads (${numAttentionHeads}), got ${numKeyValueHeads}`);
  }
  const headDim = f.int("head_dim", 2);
  if (headDim % 2 !== 0) throw new ModelConfigError(source, "head_dim", `must be even for rotary embeddings, got ${headDim}`);
  f.oneOf("hidden_activation", ["gelu_pytorch_tanh"]);
  if (raw.attention_bias !== false) throw new ModelConfigError(source, "attention_bias", `must be false, got ${JSON.stringify(raw.attention_bias)}`);
  if (raw.rope_scaling !== null) throw new ModelConfigError(source, "rope_scaling", `must be null, got ${JSON.stringify(raw.rope_scaling)}`);
  const numHiddenLayers = f.int("num_hidden_layers", 1);
  const vocabSize = f.int("vocab_size", 1);
  return {
    modelType: "gemma2",
    vocabSize,
    hiddenSize: f.int("hidden_size", 1),
    numHiddenLayers,
    numAttentionHeads,
    numKeyValueHeads,
    headDim,
    intermediateSize: f.int("intermediate_size", 1),
    rmsNormEps: f.positive("rms_norm_eps"),
    ropeTheta: f.positive("rope_theta"),
    maxPositionEmbeddings: f.int("max_position_embeddings", 1),
    queryPreAttnScalar: f.positive("query_pre_attn_scalar"),
    attnLogitSoftcapping: f.optionalPositive("attn_logit_softcapping"),
    finalLogitSoftcapping: f.optionalPositive("final_logit_softcapping"),
    slidingWindow: f.int("sliding_window", 1),
    slidingLayers: layerTypes(raw.layer_types, numHiddenLayers, source),
    padTokenId: f.tokenId("pad_token_id", vocabSize),
    bosTokenId: f.tokenId("bos_token_id", vocabSize),
    eosTokenId: f.tokenId("eos_token_id", vocabSize),
    labels: parseHfLabels(raw, source),
  };
}

/** HF `layer_types`, else its default: layer i slides when i is even (`(i + 1) % 2`). */
function layerTypes(value: unknown, layers: number, source: string): boolean[] {
  if (value === undefined || value === null) return Array.from({ length: layers }, (_, i) => i % 2 === 0);
  if (!Array.isArray(value) || value.length !== layers || value.some((t) => t !== "sliding_attention" && t !== "full_attention")) {
    throw new ModelConfigError(source, "layer_types", `must list "sliding_attention" or "full_attention" for each of the ${layers} layers, got ${JSON.stringify(value)}`);
  }
  return value.map((t) => t === "sliding_attention");
}

/** The Linear modules of one decoder layer, by PEFT target name: the Llama family's. */
export const gemma2LayerLinears = llamaLayerLinears;

/** The four RMSNorms of a Gemma-2 layer, in order of use. */
export const GEMMA2_LAYER_NORMS = ["input_layernorm", "post_attention_layernorm", "pre_feedforward_layernorm", "post_feedforward_layernorm"] as const;

/** Every tensor of `Gemma2ForSequenceClassification` under `config`, HF key → shape. */
export function gemma2WeightShapes(config: Gemma2Config): Map<string, number[]> {
  const { hiddenSize: h, headDim: d, numAttentionHeads: nq, numKeyValueHeads: nkv, intermediateSize: m } = config;
  const shapes = new Map<string, number[]>();
  shapes.set("model.embed_tokens.weight", [config.vocabSize, h]);
  const linear: Record<keyof typeof gemma2LayerLinears, [number, number]> = {
    q_proj: [nq * d, h],
    k_proj: [nkv * d, h],
    v_proj: [nkv * d, h],
    o_proj: [h, nq * d],
    gate_proj: [m, h],
    up_proj: [m, h],
    down_proj: [h, m],
  };
  for (let layer = 0; layer < config.numHiddenLayers; layer++) {
    const p = `model.layers.${layer}`;
    for (const [name, path] of Object.entries(gemma2LayerLinears)) shapes.set(`${p}.${path}.weight`, linear[name as keyof typeof linear]);
    for (const norm of GEMMA2_LAYER_NORMS) shapes.set(`${p}.${norm}.weight`, [h]);
  }
  shapes.set("model.norm.weight", [h]);
  shapes.set("score.weight", [config.labels.length, h]);
  return shapes;
}
