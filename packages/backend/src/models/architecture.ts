import type { Graph } from "../graph.js";
import type { Feeds } from "../host-tensor.js";
import type { DropoutInputs } from "../nn/dropout.js";
import type { Tensor } from "../ops/types.js";
import type { PaddedBatch } from "../train/batching.js";
import type { LoraPlan } from "./lora-targets.js";

/**
 * What LoRA training, prediction and export need of a model architecture, whatever its family: the Linears LoRA may
 * adapt, the classification head trained in full, a graph builder and the feeds of a padded batch. Each family
 * (`llamaArchitecture`, `gemma2Architecture`, `bertArchitecture`) describes itself once; the trainer and the
 * predictor never branch on the family.
 */

/** One Linear of the model, by its PEFT module path. */
export interface LinearModule {
  /** Full module path, as in PEFT keys: `model.layers.3.self_attn.q_proj`, `bert.pooler.dense`. */
  readonly path: string;
  /** Index of the layer holding it; null outside the layer stack (BERT's pooler). */
  readonly layer: number | null;
  /** Last path component, the name `target_modules` lists (`q_proj`, `query`, `dense`). */
  readonly name: string;
  /** Output features (rows of W). */
  readonly outFeatures: number;
  /** Input features (columns of W). */
  readonly inFeatures: number;
}

/** One tensor of the classification head, in HF's layout. */
export interface HeadTensor {
  /** HF key: `score.weight`, `classifier.weight`, `classifier.bias`. */
  readonly key: string;
  /** HF shape: `[classes, hidden]` for a weight, `[classes]` for a bias. */
  readonly shape: readonly number[];
}

/** A parameter the graph takes as input because it is trained. */
export interface TrainableParameter {
  /** PEFT key without the `base_model.model.` prefix: `model.layers.0.self_attn.q_proj.lora_A.weight`, `score.weight`. */
  readonly key: string;
  /** The graph input; its shape is the PEFT shape transposed (`lora_A` `[in, r]`, `lora_B` `[r, out]`, a head weight `[hidden, classes]`). */
  readonly tensor: Tensor;
}

/** A classifier built into a graph. */
export interface Classifier {
  /** Class logits `[batch, classes]`. */
  readonly logits: Tensor;
  /** LoRA factors (per target: A, B, and DoRA's magnitude) then the head tensors, in a fixed order; empty without LoRA. */
  readonly trainable: readonly TrainableParameter[];
  /** DoRA only: the row-norm inputs `<path>.dora_norm` `[out]`, fed from `buildDoraNormGraph` each step. */
  readonly doraNorms: readonly Tensor[];
  /** The dropout inputs when the graph was built with LoRA dropout; null otherwise. */
  readonly dropout: DropoutInputs | null;
}

/** Options of `Architecture.build`. */
export interface ClassifierGraphOptions {
  /** Adapters to inject and the head to train; null builds the plain model with its head frozen. Defaults to `null`. */
  readonly lora?: LoraPlan | null;
  /** Longest sequence the graph must take. Defaults to the model's `max_position_embeddings`. */
  readonly maxSeq?: number;
  /** Build the plan's LoRA dropout: a training graph with `lora_dropout_seed` and `lora_dropout_rate` inputs (see `injectLora`). Defaults to `false`. */
  readonly dropout?: boolean;
}

/** A model family's description for LoRA training and prediction. */
export interface Architecture {
  /** HF `model_type` (`llama`, `qwen2`, `gemma2`, `bert`…), for messages. */
  readonly modelType: string;
  /** Number of layers in the stack. */
  readonly layerCount: number;
  /** PEFT's `layers_pattern` for this family: the module list holding the layers (`layers`, BERT's `layer`). */
  readonly layersPattern: string;
  /** Every Linear LoRA may adapt, in HF module order (the head excluded). */
  readonly linears: readonly LinearModule[];
  /** PEFT's default `target_modules` for the family. */
  readonly defaultTargets: readonly string[];
  /** The head's module name (`score`, `classifier`) and tensors. */
  readonly head: { readonly module: "score" | "classifier"; readonly tensors: readonly HeadTensor[] };
  /** Number of classes of the head. */
  readonly classes: number;
  /** The pad id batches are padded with; null when the config has none. */
  readonly padTokenId: number | null;
  /** Builds the classifier into `g` from the model's weights. */
  build(g: Graph, options?: ClassifierGraphOptions): Classifier;
  /** The graph's inputs for a padded batch (labels excluded). */
  feeds(batch: PaddedBatch): Feeds;
}

/**
 * The Linears of a weight-shape map in its order: every 2-D `….weight` except those `skip` names (embeddings, the
 * head), with the layer index read from `.<layersPattern>.<i>.` in the path.
 */
export function linearModules(shapes: ReadonlyMap<string, readonly number[]>, layersPattern: string, skip: RegExp): LinearModule[] {
  const layerOf = new RegExp(`\\.${layersPattern}\\.(\\d+)\\.`);
  const modules: LinearModule[] = [];
  for (const [key, shape] of shapes) {
    if (shape.length !== 2 || !key.endsWith(".weight") || skip.test(key)) continue;
    const path = key.slice(0, -".weight".length);
    const layer = layerOf.exec(path);
    modules.push({ path, layer: layer ? Number(layer[1]) : null, name: path.slice(path.lastIndexOf(".") + 1), outFeatures: shape[0], inFeatures: shape[1] });
  }
  return modules;
}
