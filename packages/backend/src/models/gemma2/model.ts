import { Rng } from "@lora-litee/lora";
import { FixtureOptionError } from "../fixture.js";
import { readHfWeights } from "../hf-files.js";
import type { HfWeight } from "../hf-files.js";
import { readTokenizerSpecials } from "../tokenizer-files.js";
import { gemma2WeightShapes, parseGemma2Config, type Gemma2Config } from "./config.js";
import { readConfigJson } from "../config-json.js";
import { writeFixtureFolder } from "../fixture-folder.js";

/** A loaded Gemma-2 model folder. */
export interface Gemma2Model {
  /** The family tag of `HfModel`. */
  readonly family: "gemma2";
  /** The parsed config. */
  readonly config: Gemma2Config;
  /** Weights by `Gemma2ForSequenceClassification` key; `score.weight` only when the files had a head. */
  readonly weights: ReadonlyMap<string, HfWeight>;
  /** Whether the files held a trained `score` head (a causal-LM checkpoint has none). */
  readonly hasHead: boolean;
}

/** Loads a Gemma-2 folder (`Gemma2ForSequenceClassification`, or `Gemma2ForCausalLM` whose tied LM head is absent). */
export async function loadGemma2Model(dir: string): Promise<Gemma2Model> {
  const { path: configPath, json } = await readConfigJson(dir);
  const config = parseGemma2Config(json, configPath);
  const loaded = await readHfWeights(dir, {
    expected: gemma2WeightShapes(config),
    headKeys: ["score.weight"],
    rename: (key) => (/^(embed_tokens|layers|norm)\./.test(key) ? `model.${key}` : key),
    ignored: [/^lm_head\.weight$/],
  });
  return { family: "gemma2", config, weights: loaded.weights, hasHead: loaded.hasHead };
}

/** Options of `writeGemma2Fixture`. */
export interface Gemma2FixtureOptions {
  /** Folder holding `tokenizer.json` (and its config); sets the vocabulary size and the special ids. */
  readonly tokenizerDir: string;
  /** `hidden_size`. Defaults to `64`. */
  readonly hidden?: number;
  /** `num_hidden_layers` (even layers slide, odd ones attend globally). Defaults to `2`. */
  readonly layers?: number;
  /** `num_attention_heads`. Defaults to `4`. */
  readonly heads?: number;
  /** `num_key_value_heads`. Defaults to `2`. */
  readonly kvHeads?: number;
  /** `head_dim`, also `query_pre_attn_scalar` as in gemma-2-2b/9b. Defaults to `16`. */
  readonly headDim?: number;
  /** `intermediate_size`. Defaults to `128`. */
  readonly intermediate?: number;
  /** `sliding_window`. Defaults to `4096`. */
  readonly slidingWindow?: number;
  /** Seed of the weights. Defaults to `0`. */
  readonly seed?: number;
  /** Std of noise on the RMSNorm weights (HF initialises them to 0, i.e. a gain of exactly 1). Defaults to `0`. */
  readonly normNoise?: number;
  /** Storage dtype. Defaults to `"F32"`. */
  readonly dtype?: "F32" | "F16" | "BF16";
  /** Labels of the head. Defaults to the arena task's three. */
  readonly labels?: readonly string[];
}

/** Writes a random `Gemma2ForSequenceClassification` folder (Linear and embedding weights N(0, 0.02²), pad row zero). */
export async function writeGemma2Fixture(dir: string, options: Gemma2FixtureOptions): Promise<{ config: Gemma2Config; files: string[]; parameters: number }> {
  const specials = await readTokenizerSpecials(options.tokenizerDir);
  const labels = options.labels ?? ["winner_model_a", "winner_model_b", "winner_tie"];
  const dtype = options.dtype ?? "F32";
  const size = (name: string, value: number) => {
    if (!Number.isInteger(value) || value < 1) throw new FixtureOptionError(`${name} must be an integer ≥ 1, got ${value}`);
    return value;
  };
  const headDim = size("headDim", options.headDim ?? 16);
  const json = {
    architectures: ["Gemma2ForSequenceClassification"],
    attention_bias: false,
    attention_dropout: 0.0,
    attn_logit_softcapping: 50.0,
    bos_token_id: specials.bosTokenId,
    eos_token_id: specials.eosTokenId,
    final_logit_softcapping: 30.0,
    head_dim: headDim,
    hidden_activation: "gelu_pytorch_tanh",
    hidden_size: size("hidden", options.hidden ?? 64),
    id2label: Object.fromEntries(labels.map((label, i) => [String(i), label])),
    initializer_range: 0.02,
    intermediate_size: size("intermediate", options.intermediate ?? 128),
    label2id: Object.fromEntries(labels.map((label, i) => [label, i])),
    max_position_embeddings: 8192,
    model_type: "gemma2",
    num_attention_heads: size("heads", options.heads ?? 4),
    num_hidden_layers: size("layers", options.layers ?? 2),
    num_key_value_heads: size("kvHeads", options.kvHeads ?? 2),
    pad_token_id: specials.padTokenId,
    query_pre_attn_scalar: headDim,
    rms_norm_eps: 1e-6,
    rope_theta: 10000.0,
    sliding_window: size("slidingWindow", options.slidingWindow ?? 4096),
    torch_dtype: { F32: "float32", F16: "float16", BF16: "bfloat16" }[dtype],
    vocab_size: specials.vocabSize,
  };
  const config = parseGemma2Config(json, "fixture options");
  const rng = new Rng(options.seed ?? 0);
  const normNoise = options.normNoise ?? 0;
  const { files, parameters } = await writeFixtureFolder(dir, json, options.tokenizerDir, {
    shapes: gemma2WeightShapes(config),
    init: (name, values) => rng.fillNormal(values, name.endsWith("norm.weight") ? normNoise : 0.02),
    embedding: { key: "model.embed_tokens.weight", padTokenId: config.padTokenId, hidden: config.hiddenSize },
    dtype,
  });
  return { config, files, parameters };
}
