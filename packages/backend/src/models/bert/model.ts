import { Rng } from "@lora-litee/lora";
import { readHfWeights } from "../hf-files.js";
import type { HfWeight } from "../hf-files.js";
import { readTokenizerSpecials } from "../tokenizer-files.js";
import { bertWeightShapes, parseBertConfig, type BertConfig } from "./config.js";
import { readConfigJson } from "../config-json.js";
import { commonConfigFields, fixtureSize, writeFixtureFolder, type FixtureSizeOptions } from "../fixture-folder.js";

/** A loaded BERT model folder. */
export interface BertModel {
  /** The family tag of `HfModel`. */
  readonly family: "bert";
  /** The parsed config. */
  readonly config: BertConfig;
  /** Weights by `BertForSequenceClassification` key; `classifier.*` only when the files had a head. */
  readonly weights: ReadonlyMap<string, HfWeight>;
  /** Whether the files held a trained classifier. */
  readonly hasHead: boolean;
}

const HEAD_KEYS = ["classifier.weight", "classifier.bias"];

/**
 * Loads a BERT folder: `BertForSequenceClassification` files, and bare `BertModel` files (sentence-transformers'
 * MiniLM) whose keys lack the `bert.` prefix. A file without a pooler is a mistake for CLS pooling and is reported.
 */
export async function loadBertModel(dir: string): Promise<BertModel> {
  const { path: configPath, json } = await readConfigJson(dir);
  const config = parseBertConfig(json, configPath);
  const loaded = await readHfWeights(dir, {
    expected: bertWeightShapes(config),
    headKeys: HEAD_KEYS,
    rename: (key) => (/^(embeddings|encoder|pooler)\./.test(key) ? `bert.${key}` : key),
    ignored: [/position_ids$/, /^cls\./],
  });
  return { family: "bert", config, weights: loaded.weights, hasHead: loaded.hasHead };
}

/** Options of `writeBertFixture` (a WordPiece tokenizer such as MiniLM's sets the vocabulary and pad id). */
export interface BertFixtureOptions extends FixtureSizeOptions {
  /** `max_position_embeddings`. Defaults to `512`. */
  readonly maxPositions?: number;
}

/**
 * Writes a random `BertForSequenceClassification` folder. Init follows HF's `_init_weights`: Linear and embedding
 * weights N(0, 0.02²) with zero biases, the pad row of the word embeddings zero, LayerNorm weight 1 and bias 0.
 */
export async function writeBertFixture(dir: string, options: BertFixtureOptions): Promise<{ config: BertConfig; files: string[]; parameters: number }> {
  const specials = await readTokenizerSpecials(options.tokenizerDir);
  const json = {
    ...commonConfigFields(options),
    architectures: ["BertForSequenceClassification"],
    attention_probs_dropout_prob: 0.1,
    classifier_dropout: null,
    hidden_act: "gelu",
    hidden_dropout_prob: 0.1,
    initializer_range: 0.02,
    layer_norm_eps: 1e-12,
    max_position_embeddings: fixtureSize("maxPositions", options.maxPositions ?? 512),
    model_type: "bert",
    pad_token_id: specials.padTokenId,
    position_embedding_type: "absolute",
    type_vocab_size: 2,
    vocab_size: specials.vocabSize,
  };
  const config = parseBertConfig(json, "fixture options");
  const rng = new Rng(options.seed ?? 0);
  const { files, parameters } = await writeFixtureFolder(dir, json, options.tokenizerDir, {
    shapes: bertWeightShapes(config),
    init: (name, values) => {
      if (name.endsWith("LayerNorm.weight")) values.fill(1);
      else if (!name.endsWith(".bias")) rng.fillNormal(values, 0.02);
    },
    embedding: { key: "bert.embeddings.word_embeddings.weight", padTokenId: config.padTokenId, hidden: config.hiddenSize },
    dtype: options.dtype ?? "F32",
  });
  return { config, files, parameters };
}
