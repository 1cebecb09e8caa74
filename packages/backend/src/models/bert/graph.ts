import type { Graph } from "../../graph.js";
import { attention, mergeHeads, positionsOf, splitHeads } from "../../nn/attention.js";
import { linear } from "../../nn/linear.js";
import { add, cast, div, gather, mul, reduceSum, sub, tanh, unsqueeze } from "../../ops/index.js";
import type { Tensor } from "../../ops/types.js";
import { ModelWeightsError, type HfWeight } from "../hf-files.js";
import { gelu, geluTanh, layerNorm } from "../layers.js";
import type { Classifier } from "../architecture.js";
import { injectLora } from "../lora-injection.js";
import type { LoraPlan } from "../lora-targets.js";
import { transpose2d } from "../transpose.js";
import type { BertConfig } from "./config.js";

/**
 * HF `BertForSequenceClassification` as a graph: word + absolute position + token type embeddings → LayerNorm →
 * post-LN encoder layers (attention with bias terms, GELU feed-forward) → a pooled vector → `classifier`. The
 * inputs are int64 as HF's ONNX exports take them, so an exported graph serves plain onnxruntime too.
 */

/** How the encoder's tokens become one vector. */
export type BertPooling = "cls" | "mean";

/** Options of `buildBertClassifier`. */
export interface BertGraphOptions {
  /** Adapters to inject and the `classifier` head to train; null builds the plain model with its head frozen. Defaults to `null`. */
  readonly lora?: LoraPlan | null;
  /** Build the plan's LoRA dropout (training graphs; see `injectLora`). Defaults to `false`. */
  readonly dropout?: boolean;
  /** `"cls"`: HF's head (`pooler.dense` + tanh on the first token); `"mean"`: the sentence-transformers mean over real tokens, straight into `classifier`. Defaults to `"cls"`. */
  readonly pooling?: BertPooling;
}

/** The classifier in a graph. */
export interface BertClassifier extends Classifier {
  /** Token ids, int64 `[batch, seq]`. */
  readonly inputIds: Tensor;
  /** 1 for real tokens, 0 for padding, int64 `[batch, seq]`. */
  readonly attentionMask: Tensor;
  /** Segment ids (0 first text, 1 second), int64 `[batch, seq]`. */
  readonly tokenTypeIds: Tensor;
}

const MASKED = -1e9;

/** Builds the encoder classifier into `g` from HF-keyed float32 weights. */
export function buildBertClassifier(g: Graph, config: BertConfig, weights: ReadonlyMap<string, HfWeight>, options: BertGraphOptions = {}): BertClassifier {
  const { numAttentionHeads: heads, layerNormEps: eps } = config;
  const frozen = (key: string): Tensor => {
    const w = weights.get(key);
    if (!w) throw new ModelWeightsError("(weights given to buildBertClassifier)", [key], [], []);
    // Linear weights go in as [in, out]; embedding tables and norm vectors keep their HF layout.
    const asLinear = w.shape.length === 2 && !key.includes("embeddings");
    return asLinear
      ? g.weight(key, "float32", [w.shape[1], w.shape[0]], transpose2d(w.data, w.shape[0], w.shape[1]))
      : g.weight(key, "float32", [...w.shape], w.data);
  };
  const injection = injectLora(g, options.lora ?? null, { dropout: options.dropout });
  const dense = (x: Tensor, path: string) => injection.project(x, path, frozen(`${path}.weight`), frozen(`${path}.bias`));
  const classifier = (x: Tensor) =>
    linear(g, x, injection.head("classifier.weight") ?? frozen("classifier.weight"), injection.head("classifier.bias") ?? frozen("classifier.bias"));
  const norm = (x: Tensor, path: string) => layerNorm(g, x, frozen(`${path}.weight`), frozen(`${path}.bias`), eps);
  const activation = config.hiddenAct === "gelu" ? gelu : geluTanh;

  const inputIds = g.input("input_ids", "int64", ["batch", "seq"]);
  const attentionMask = g.input("attention_mask", "int64", ["batch", "seq"]);
  const tokenTypeIds = g.input("token_type_ids", "int64", ["batch", "seq"]);
  const mask = cast(g, attentionMask, "float32");
  const bias = g.scope("mask", () => mul(g, sub(g, unsqueeze(g, mask, [1, 2]), 1), -MASKED));

  let hidden = g.scope("embeddings", () => {
    const words = gather(g, frozen("bert.embeddings.word_embeddings.weight"), inputIds);
    const positions = gather(g, frozen("bert.embeddings.position_embeddings.weight"), positionsOf(g, inputIds));
    const types = gather(g, frozen("bert.embeddings.token_type_embeddings.weight"), tokenTypeIds);
    return norm(add(g, add(g, words, positions), types), "bert.embeddings.LayerNorm");
  });
  for (let layer = 0; layer < config.numHiddenLayers; layer++) {
    const p = `bert.encoder.layer.${layer}`;
    hidden = g.scope(`layer${layer}`, () => {
      const context = g.scope("attn", () => {
        const q = splitHeads(g, dense(hidden, `${p}.attention.self.query`), heads);
        const k = splitHeads(g, dense(hidden, `${p}.attention.self.key`), heads);
        const v = splitHeads(g, dense(hidden, `${p}.attention.self.value`), heads);
        return dense(mergeHeads(g, attention(g, q, k, v, bias)), `${p}.attention.output.dense`);
      });
      const mid = norm(add(g, hidden, context), `${p}.attention.output.LayerNorm`);
      const ff = g.scope("ffn", () => dense(activation(g, dense(mid, `${p}.intermediate.dense`)), `${p}.output.dense`));
      return norm(add(g, mid, ff), `${p}.output.LayerNorm`);
    });
  }
  const logits = g.scope("head", () => {
    if ((options.pooling ?? "cls") === "cls") {
      const first = gather(g, hidden, g.constant(0, "int64"), 1);
      return classifier(tanh(g, dense(first, "bert.pooler.dense")));
    }
    const summed = reduceSum(g, mul(g, hidden, unsqueeze(g, mask, [2])), [1]);
    return classifier(div(g, summed, reduceSum(g, mask, [1], { keepdims: true })));
  });
  return { inputIds, attentionMask, tokenTypeIds, logits, trainable: injection.trainable, doraNorms: injection.doraNorms, dropout: injection.dropout };
}
