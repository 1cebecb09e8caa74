import { decoderBatchFeeds } from "../../train/batch-feeds.js";
import { linearModules, type Architecture } from "../architecture.js";
import { gemma2WeightShapes } from "./config.js";
import { buildGemma2Classifier } from "./graph.js";
import type { Gemma2Model } from "./model.js";

/** Gemma-2 for training and prediction: the Llama family's seven Linears per layer and `score` head. */
export function gemma2Architecture(model: Gemma2Model): Architecture {
  const { config, weights } = model;
  const classes = config.labels.length;
  return {
    modelType: config.modelType,
    layerCount: config.numHiddenLayers,
    layersPattern: "layers",
    linears: linearModules(gemma2WeightShapes(config), "layers", /^model\.embed_tokens\.|^score\./),
    defaultTargets: ["q_proj", "v_proj"],
    head: { module: "score", tensors: [{ key: "score.weight", shape: [classes, config.hiddenSize] }] },
    classes,
    padTokenId: config.padTokenId,
    maxSequence: null,
    build: (g, options = {}) => buildGemma2Classifier(g, config, weights, options),
    feeds: decoderBatchFeeds,
  };
}
