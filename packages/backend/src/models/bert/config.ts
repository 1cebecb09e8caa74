import { ModelConfigError, UnsupportedModelTypeError } from "../llama/config.js";
import { ConfigFields, parseHfLabels } from "../hf-labels.js";

/**
 * BERT-family encoders (BERT, MiniLM, and other checkpoints that ship as `model_type: "bert"`) parsed from a HF
 * `config.json`, with transformers' `BertConfig` defaults for absent fields.
 */

/** Activations BERT checkpoints use: `gelu` is the exact erf form, the others the tanh approximation. */
export type BertActivation = "gelu" | "gelu_new" | "gelu_pytorch_tanh";

/** The architecture of one BERT encoder, every HF default resolved. */
export interface BertConfig {
  /** HF `model_type`: `"bert"`. */
  readonly modelType: "bert";
  /** HF `vocab_size`. */
  readonly vocabSize: number;
  /** HF `hidden_size`. */
  readonly hiddenSize: number;
  /** HF `num_hidden_layers`. */
  readonly numHiddenLayers: number;
  /** HF `num_attention_heads`. */
  readonly numAttentionHeads: number;
  /** `hidden_size / num_attention_heads`. */
  readonly headDim: number;
  /** HF `intermediate_size`: width of the feed-forward block. */
  readonly intermediateSize: number;
  /** HF `hidden_act`. */
  readonly hiddenAct: BertActivation;
  /** HF `max_position_embeddings`: rows of the absolute position table. */
  readonly maxPositionEmbeddings: number;
  /** HF `type_vocab_size`: rows of the token type (segment) table. */
  readonly typeVocabSize: number;
  /** HF `layer_norm_eps`. */
  readonly layerNormEps: number;
  /** HF `pad_token_id`, null when unset. */
  readonly padTokenId: number | null;
  /** Labels of the classification head, index = class id. */
  readonly labels: readonly string[];
}

/** transformers BertConfig.__init__ */
const BERT_DEFAULTS: Readonly<Record<string, unknown>> = {
  vocab_size: 30522,
  hidden_size: 768,
  num_hidden_layers: 12,
  num_attention_heads: 12,
  intermediate_size: 3072,
  hidden_act: "gelu",
  max_position_embeddings: 512,
  type_vocab_size: 2,
  layer_norm_eps: 1e-12,
  pad_token_id: 0,
  position_embedding_type: "absolute",
};

/** Parses a HF `config.json` object of a BERT encoder. */
export function parseBertConfig(json: unknown, source = "config.json"): BertConfig {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new ModelConfigError(source, "(root)", `must be a JSON object, got ${JSON.stringify(json)}`);
  }
  const given = json as Record<string, unknown>;
  if (given.model_type !== "bert") throw new UnsupportedModelTypeError(source, String(given.model_type), ["bert"]);
  const raw: Record<string, unknown> = { ...BERT_DEFAULTS };
  for (const [key, value] of Object.entries(given)) if (value !== undefined) raw[key] = value;
  const f = new ConfigFields(raw, source);

  const hiddenSize = f.int("hidden_size", 1);
  const numAttentionHeads = f.int("num_attention_heads", 1);
  if (hiddenSize % numAttentionHeads !== 0) {
    throw new ModelConfigError(source, "hidden_size", `must be a multiple of num_attention_heads (${numAttentionHeads}), got ${hiddenSize}`);
  }
  f.oneOf("position_embedding_type", ["absolute"]);
  const vocabSize = f.int("vocab_size", 1);
  return {
    modelType: "bert",
    vocabSize,
    hiddenSize,
    numHiddenLayers: f.int("num_hidden_layers", 1),
    numAttentionHeads,
    headDim: hiddenSize / numAttentionHeads,
    intermediateSize: f.int("intermediate_size", 1),
    hiddenAct: f.oneOf("hidden_act", ["gelu", "gelu_new", "gelu_pytorch_tanh"]),
    maxPositionEmbeddings: f.int("max_position_embeddings", 1),
    typeVocabSize: f.int("type_vocab_size", 1),
    layerNormEps: f.positive("layer_norm_eps"),
    padTokenId: f.tokenId("pad_token_id", vocabSize),
    labels: parseHfLabels(raw, source),
  };
}

/** Every tensor of `BertForSequenceClassification` under `config`, HF key → shape, in module order. */
export function bertWeightShapes(config: BertConfig): Map<string, number[]> {
  const { hiddenSize: h, intermediateSize: m } = config;
  const shapes = new Map<string, number[]>();
  const linear = (path: string, out: number, inF: number) => {
    shapes.set(`${path}.weight`, [out, inF]);
    shapes.set(`${path}.bias`, [out]);
  };
  const norm = (path: string) => {
    shapes.set(`${path}.weight`, [h]);
    shapes.set(`${path}.bias`, [h]);
  };
  shapes.set("bert.embeddings.word_embeddings.weight", [config.vocabSize, h]);
  shapes.set("bert.embeddings.position_embeddings.weight", [config.maxPositionEmbeddings, h]);
  shapes.set("bert.embeddings.token_type_embeddings.weight", [config.typeVocabSize, h]);
  norm("bert.embeddings.LayerNorm");
  for (let layer = 0; layer < config.numHiddenLayers; layer++) {
    const p = `bert.encoder.layer.${layer}`;
    for (const name of ["query", "key", "value"]) linear(`${p}.attention.self.${name}`, h, h);
    linear(`${p}.attention.output.dense`, h, h);
    norm(`${p}.attention.output.LayerNorm`);
    linear(`${p}.intermediate.dense`, m, h);
    linear(`${p}.output.dense`, h, m);
    norm(`${p}.output.LayerNorm`);
  }
  linear("bert.pooler.dense", h, h);
  linear("classifier", config.labels.length, h);
  return shapes;
}
