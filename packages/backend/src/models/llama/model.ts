import { readConfigJson } from "../config-json.js";
import { readHfWeights, type HfWeight } from "../hf-files.js";
import { parseLlamaConfig, type LlamaConfig } from "./config.js";
import { llamaWeightShapes } from "./weights.js";

/**
 * Reads a Llama-family model folder (`config.json` + `model.safetensors`, or shards listed in
 * `model.safetensors.index.json`) into float32 weights keyed by HF names, checking the key set against what the
 * config implies. Accepts `LlamaForSequenceClassification`, `LlamaForCausalLM` and bare `LlamaModel` files (and the
 * Mistral and Qwen2 ones).
 */

/** A loaded Llama-family folder. */
export interface LlamaModel {
  /** The family tag of `HfModel`. */
  readonly family: "llama";
  /** The parsed config. */
  readonly config: LlamaConfig;
  /** Every weight of `LlamaForSequenceClassification`, by HF key (`score.weight` only when the files had it). */
  readonly weights: ReadonlyMap<string, HfWeight>;
  /** Whether the files held a trained `score` head; a causal-LM checkpoint has none and the caller initialises it. */
  readonly hasHead: boolean;
  /** Keys present in the files that a classifier does not use (`lm_head.weight`, rotary `inv_freq` buffers). */
  readonly ignoredKeys: readonly string[];
  /** The stored dtypes found (`F32`, `BF16`…), before upcasting. */
  readonly storedDtypes: readonly string[];
}

/** Keys a classifier loads from a causal-LM or older checkpoint and then does not use. */
const IGNORED = [/^lm_head\.weight$/, /\.rotary_emb\.inv_freq$/];

/** Loads `dir`; weights in F16/BF16/F64 are upcast (or cast) to float32. */
export async function loadLlamaModel(dir: string): Promise<LlamaModel> {
  const { path: configPath, json } = await readConfigJson(dir);
  const config = parseLlamaConfig(json, configPath);
  const loaded = await readHfWeights(dir, { expected: llamaWeightShapes(config), headKeys: ["score.weight"], rename: hfKey, ignored: IGNORED });
  return { family: "llama", config, ...loaded };
}

/** A bare `LlamaModel` file has no `model.` prefix; give it one so every layout maps to the classifier's keys. */
function hfKey(key: string): string {
  return /^(embed_tokens|layers|norm)\./.test(key) ? `model.${key}` : key;
}
