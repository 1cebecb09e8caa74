import { decoderBatchFeeds } from "../../train/batch-feeds.js";
import { linearModules, type Architecture } from "../architecture.js";
import { buildLlamaClassifier } from "./graph.js";
import type { LlamaModel } from "./model.js";
import { llamaWeightShapes } from "./weights.js";

/** The Llama family (llama, mistral, qwen2) for training and prediction: seven Linears per layer, a `score` head. */
export function llamaArchitecture(model: LlamaModel): Architecture {
  const { config, weights } = model;
  const classes = config.labels.length;
  return {
    modelType: config.modelType,
    layerCount: config.numHiddenLayers,
    layersPattern: "layers",
    linears: linearModules(llamaWeightShapes(config), "layers", /^model\.embed_tokens\.|^score\./),
    defaultTargets: ["q_proj", "v_proj"],
    head: { module: "score", tensors: [{ key: "score.weight", shape: [classes, config.hiddenSize] }] },
    classes,
    padTokenId: config.padTokenId,
    maxSequence: null,
    build: (g, options = {}) => buildLlamaClassifier(g, config, weights, options),
    feeds: decoderBatchFeeds,
  };
}
