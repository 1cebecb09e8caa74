import { Rng } from "@lora-litee/lora";
import { readHfWeights } from "../hf-files.js";
import type { HfWeight } from "../hf-files.js";
import { readTokenizerSpecials } from "../tokenizer-files.js";
import { gemma2WeightShapes, parseGemma2Config, type Gemma2Config } from "./config.js";
import { readConfigJson } from "../config-json.js";
import { commonConfigFields, fixtureSize, writeFixtureFolder, type FixtureSizeOptions } from "../fixture-folder.js";

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

/** Options of `writeGemma2Fixture` (even layers slide, odd ones attend globally). */
export interface Gemma2FixtureOptions extends FixtureSizeOptions {
  /** `num_key_value_heads`. Defaults to `2`. */
  readonly kvHeads?: number;
  /** `head_dim`, also `query_pre_attn_scalar` as in gemma-2-2b/9b. Defaults to `16`. */
  readonly headDim?: number;
  /** `sliding_window`. Defaults to `4096`. */
  readonly slidingWindow?: number;
  /** Std of noise on the RMSNorm weights (HF initialises them to 0, i.e. a gain of exactly 1). Defaults to `0`. */
  readonly normNoise?: number;
}

/** Writes a random `Gemma2ForSequenceClassification` folder (Linear and embedding weights N(0, 0.02²), pad row zero). */
export async function writeGemma2Fixture(dir: string, options: Gemma2FixtureOptions): Promise<{ config: Gemma2Config; files: string[]; parameters: number }> {
  const specials = await readTokenizerSpecials(options.tokenizerDir);
  const headDim = fixtureSize("headDim", options.headDim ?? 16);
  const json = {
    ...commonConfigFields(options),
    architectures: ["Gemma2ForSequenceClassification"],
    attention_bias: false,
    attention_dropout: 0.0,
    attn_logit_softcapping: 50.0,
    bos_token_id: specials.bosTokenId,
    eos_token_id: specials.eosTokenId,
    final_logit_softcapping: 30.0,
    head_dim: headDim,
    hidden_activation: "gelu_pytorch_tanh",
    initializer_range: 0.02,
    max_position_embeddings: 8192,
    model_type: "gemma2",
    num_key_value_heads: fixtureSize("kvHeads", options.kvHeads ?? 2),
    pad_token_id: specials.padTokenId,
    query_pre_attn_scalar: headDim,
    rms_norm_eps: 1e-6,
    rope_theta: 10000.0,
    sliding_window: fixtureSize("slidingWindow", options.slidingWindow ?? 4096),
    vocab_size: specials.vocabSize,
  };
  const config = parseGemma2Config(json, "fixture options");
  const rng = new Rng(options.seed ?? 0);
  const normNoise = options.normNoise ?? 0;
  const { files, parameters } = await writeFixtureFolder(dir, json, options.tokenizerDir, {
    shapes: gemma2WeightShapes(config),
    init: (name, values) => rng.fillNormal(values, name.endsWith("norm.weight") ? normNoise : 0.02),
    embedding: { key: "model.embed_tokens.weight", padTokenId: config.padTokenId, hidden: config.hiddenSize },
    dtype: options.dtype ?? "F32",
  });
  return { config, files, parameters };
}
