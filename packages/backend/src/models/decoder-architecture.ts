import { decoderBatchFeeds } from "../train/batch-feeds.js";
import { linearModules, type Architecture } from "./architecture.js";

/** The config fields every decoder family shares. */
interface DecoderConfig {
  readonly modelType: string;
  readonly numHiddenLayers: number;
  readonly hiddenSize: number;
  readonly padTokenId: number | null;
  readonly labels: readonly string[];
}

/**
 * A decoder classifier (Llama family, Gemma-2) as an `Architecture`: the Linears under `model.layers.N`, PEFT's
 * default q_proj/v_proj targets, a bias-free `score` head and the decoders' batch feeds.
 */
export function decoderArchitecture(config: DecoderConfig, shapes: ReadonlyMap<string, readonly number[]>, build: Architecture["build"]): Architecture {
  const classes = config.labels.length;
  return {
    modelType: config.modelType,
    layerCount: config.numHiddenLayers,
    layersPattern: "layers",
    linears: linearModules(shapes, "layers", /^model\.embed_tokens\.|^score\./),
    defaultTargets: ["q_proj", "v_proj"],
    head: { module: "score", tensors: [{ key: "score.weight", shape: [classes, config.hiddenSize] }] },
    classes,
    padTokenId: config.padTokenId,
    build,
    feeds: decoderBatchFeeds,
  };
}
