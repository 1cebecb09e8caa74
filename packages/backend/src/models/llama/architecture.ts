import type { Architecture } from "../architecture.js";
import { decoderArchitecture } from "../decoder-architecture.js";
import { buildLlamaClassifier } from "./graph.js";
import type { LlamaModel } from "./model.js";
import { llamaWeightShapes } from "./weights.js";

/** The Llama family (llama, mistral, qwen2) for training and prediction: seven Linears per layer, a `score` head. */
export function llamaArchitecture(model: LlamaModel): Architecture {
  const { config, weights } = model;
  return decoderArchitecture(config, llamaWeightShapes(config), (g, options = {}) => buildLlamaClassifier(g, config, weights, options));
}
