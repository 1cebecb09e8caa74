import type { Architecture } from "../architecture.js";
import { decoderArchitecture } from "../decoder-architecture.js";
import { gemma2WeightShapes } from "./config.js";
import { buildGemma2Classifier } from "./graph.js";
import type { Gemma2Model } from "./model.js";

/** Gemma-2 for training and prediction: the Llama family's seven Linears per layer and `score` head. */
export function gemma2Architecture(model: Gemma2Model): Architecture {
  const { config, weights } = model;
  return decoderArchitecture(config, gemma2WeightShapes(config), (g, options = {}) => buildGemma2Classifier(g, config, weights, options));
}
