import { loadBertModel, type BertModel } from "./bert/model.js";
import { readConfigJson } from "./config-json.js";
import { loadGemma2Model, type Gemma2Model } from "./gemma2/model.js";
import { UnsupportedModelTypeError, modelFamilies } from "./llama/config.js";
import { loadLlamaModel, type LlamaModel } from "./llama/model.js";

export { ModelWeightsError, type HfWeight } from "./hf-files.js";

/**
 * Any Hugging Face model folder this package trains and serves, loaded by its `model_type`: the Llama family
 * (llama, mistral, qwen2), Gemma-2 and BERT encoders. `family` tells them apart; `architectureOf` gives what
 * training and prediction need of each.
 */
export type HfModel = LlamaModel | Gemma2Model | BertModel;

/** Every `model_type` `loadHfModel` accepts. */
export const SUPPORTED_MODEL_TYPES: readonly string[] = [...modelFamilies.keys(), "gemma2", "bert"];

/** Loads `dir` with the loader of its `config.json`'s `model_type`; weights are upcast to float32. */
export async function loadHfModel(dir: string): Promise<HfModel> {
  const { path, json } = await readConfigJson(dir);
  const modelType = String((json as { model_type?: unknown }).model_type);
  if (modelType === "gemma2") return loadGemma2Model(dir);
  if (modelType === "bert") return loadBertModel(dir);
  if (modelFamilies.has(modelType)) return loadLlamaModel(dir);
  throw new UnsupportedModelTypeError(path, modelType, SUPPORTED_MODEL_TYPES);
}
