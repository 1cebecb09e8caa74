import { encoderBatchFeeds } from "../../train/batch-feeds.js";
import { linearModules, type Architecture } from "../architecture.js";
import { ModelConfigError } from "../config-error.js";
import { bertWeightShapes } from "./config.js";
import { buildBertClassifier } from "./graph.js";
import type { BertModel } from "./model.js";

/**
 * BERT encoders for training and prediction: q/k/v, the attention output and both feed-forward Linears of each layer
 * plus the pooler (`all-linear` reaches it, as in PEFT), and a `classifier` head with a bias, over CLS pooling.
 */
export function bertArchitecture(model: BertModel): Architecture {
  const { config, weights } = model;
  const classes = config.labels.length;
  return {
    modelType: config.modelType,
    layerCount: config.numHiddenLayers,
    layersPattern: "layer",
    linears: linearModules(bertWeightShapes(config), "layer", /^bert\.embeddings\.|^classifier\./),
    defaultTargets: ["query", "value"],
    head: {
      module: "classifier",
      tensors: [
        { key: "classifier.weight", shape: [classes, config.hiddenSize] },
        { key: "classifier.bias", shape: [classes] },
      ],
    },
    classes,
    padTokenId: config.padTokenId,
    build: (g, options = {}) => {
      const longest = options.maxSeq ?? config.maxPositionEmbeddings;
      if (longest > config.maxPositionEmbeddings) {
        throw new ModelConfigError("config.json", "max_position_embeddings", `is ${config.maxPositionEmbeddings}, but sequences of ${longest} tokens were given; lower --max-length`);
      }
      return buildBertClassifier(g, config, weights, { lora: options.lora ?? null, dropout: options.dropout });
    },
    feeds: encoderBatchFeeds,
  };
}
