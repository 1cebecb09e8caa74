import type { Graph } from "../../graph.js";
import { ModelWeightsError, type HfWeight } from "../hf-files.js";
import { attention, causalBias, mergeHeads, positionsOf, queryRowBias, splitHeads } from "../../nn/attention.js";
import { linear } from "../../nn/linear.js";
import { poolPositions } from "../../nn/pool-last.js";
import { rmsNorm } from "../../nn/norm.js";
import { applyRope, applyRopePerRow, ropeTables } from "../../nn/rope.js";
import { add, expand, gather, less, mul, reshape, sigmoid, squeeze, sub, unsqueeze, where } from "../../ops/index.js";
import type { Tensor } from "../../ops/types.js";
import type { LlamaConfig } from "./config.js";
import type { Classifier } from "../architecture.js";
import { injectLora } from "../lora-injection.js";
import type { LoraPlan } from "../lora-targets.js";
import { transpose2d } from "../transpose.js";
import { llamaLayerLinears, llamaLinearShape, type LlamaLinearName } from "./weights.js";

/**
 * HF `LlamaForSequenceClassification` (and Mistral, Qwen2) as a graph: embedding → decoder layers (RMSNorm,
 * q/k/v/o with RoPE and grouped-query attention under a causal + padding mask, SwiGLU MLP) → final RMSNorm →
 * `score` at the pooled position. Frozen weights become initializers in the graph's `[in, out]` layout (HF's
 * `[out, in]` transposed once on the host); LoRA factors and the head are graph inputs, so one compiled graph
 * serves every optimizer step.
 */

/** The classifier in a graph. */
export interface LlamaClassifier extends Classifier {
  /** Token ids, int64 `[batch, seq]`. */
  readonly inputIds: Tensor;
  /** 1 for real tokens, 0 for padding, float32 `[batch, seq]`. */
  readonly attentionMask: Tensor;
  /** Position pooled per row (the last real token; see `padBatch`), int64 `[batch]`. */
  readonly lastPositions: Tensor;
}

/** Options of `buildLlamaClassifier`. */
export interface LlamaGraphOptions {
  /** Adapters to inject and the head to train; null builds the plain model with `score.weight` frozen. Defaults to `null`. */
  readonly lora?: LoraPlan | null;
  /** Longest sequence the RoPE tables cover. Defaults to `config.maxPositionEmbeddings`. */
  readonly maxSeq?: number;
  /** Build the plan's LoRA dropout (training graphs; see `injectLora`). Defaults to `false`. */
  readonly dropout?: boolean;
  /** Tensors to use instead of the float32 `attention_mask` and `last_positions` inputs (an export derives both from an int64 mask). Defaults to `null`. */
  readonly derivedInputs?: { readonly attentionMask: Tensor; readonly lastPositions: Tensor } | null;
}

const MASKED = -1e9;

/** Builds the classifier into `g` from HF-keyed float32 weights (see `loadHfModel`). */
export function buildLlamaClassifier(
  g: Graph,
  config: LlamaConfig,
  weights: ReadonlyMap<string, HfWeight>,
  options: LlamaGraphOptions = {},
): LlamaClassifier {
  const lora = options.lora ?? null;
  const { numAttentionHeads: nq, numKeyValueHeads: nkv, headDim: d } = config;

  // Linear weights go in as [in, out]; the embedding table and norm gains keep their HF layout.
  const frozen = (key: string, asLinear = key.endsWith("proj.weight") || key === "score.weight"): Tensor => {
    const w = weights.get(key);
    if (!w) throw new ModelWeightsError("(weights given to buildLlamaClassifier)", [key], [], []);
    return asLinear
      ? g.weight(key, "float32", [w.shape[1], w.shape[0]], transpose2d(w.data, w.shape[0], w.shape[1]))
      : g.weight(key, "float32", [...w.shape], w.data);
  };
  const injection = injectLora(g, lora, { dropout: options.dropout });
  const scoreWeight = injection.head("score.weight") ?? frozen("score.weight");

  const inputIds = g.input("input_ids", "int64", ["batch", "seq"]);
  const attentionMask = options.derivedInputs?.attentionMask ?? g.input("attention_mask", "float32", ["batch", "seq"]);
  const lastPositions = options.derivedInputs?.lastPositions ?? g.input("last_positions", "int64", ["batch"]);

  const positions = positionsOf(g, inputIds);
  const rope = ropeTables(g, options.maxSeq ?? config.maxPositionEmbeddings, d, config.ropeTheta);
  const bias = g.scope("mask", () => {
    let causal = causalBias(g, positions);
    if (config.slidingWindow !== null) {
      // key j is out of the window of query i when i − j ≥ window, i.e. j + window − 1 < i
      const far = less(g, add(g, unsqueeze(g, positions, [0]), config.slidingWindow - 1), unsqueeze(g, positions, [1]));
      causal = add(g, causal, where(g, far, g.constant(MASKED), g.constant(0)));
    }
    const padding = mul(g, sub(g, unsqueeze(g, attentionMask, [1, 2]), 1), -MASKED);
    return add(g, causal, padding);
  });
  let hidden = gather(g, frozen("model.embed_tokens.weight"), inputIds);
  for (let layer = 0; layer < config.numHiddenLayers; layer++) {
    const prefix = `model.layers.${layer}`;
    const project = (x: Tensor, name: LlamaLinearName): Tensor => {
      const path = `${prefix}.${llamaLayerLinears[name]}`;
      const biasTensor = llamaLinearShape(config, name).bias ? frozen(`${path}.bias`) : undefined;
      return g.scope(name, () => injection.project(x, path, frozen(`${path}.weight`), biasTensor));
    };
    // The logits read one position per row, so past the last layer's keys and values only that row is computed:
    // its query, attention output and MLP (exact — every other row's last-layer output is discarded anyway).
    const last = layer === config.numHiddenLayers - 1;
    hidden = g.scope(`layer${layer}`, () => {
      const normed = rmsNorm(g, hidden, frozen(`${prefix}.input_layernorm.weight`), config.rmsNormEps);
      const residual = last ? unsqueeze(g, poolPositions(g, hidden, lastPositions), [1]) : hidden;
      const attnOut = g.scope("attn", () => {
        const k = repeatKv(g, applyRope(g, splitHeads(g, project(normed, "k_proj"), nkv), rope, positions), nq / nkv, d);
        const v = repeatKv(g, splitHeads(g, project(normed, "v_proj"), nkv), nq / nkv, d);
        const q = last
          ? applyRopePerRow(g, splitHeads(g, project(unsqueeze(g, poolPositions(g, normed, lastPositions), [1]), "q_proj"), nq), rope, lastPositions)
          : applyRope(g, splitHeads(g, project(normed, "q_proj"), nq), rope, positions);
        return project(mergeHeads(g, attention(g, q, k, v, last ? queryRowBias(g, lastPositions, positions, attentionMask, config.slidingWindow) : bias)), "o_proj");
      });
      const mid = add(g, residual, attnOut);
      const x = rmsNorm(g, mid, frozen(`${prefix}.post_attention_layernorm.weight`), config.rmsNormEps);
      // SwiGLU: down(silu(gate(x)) ⊙ up(x)), written out so every projection can carry LoRA and a bias
      const mlp = g.scope("mlp", () => {
        const gate = project(x, "gate_proj");
        return project(mul(g, mul(g, gate, sigmoid(g, gate)), project(x, "up_proj")), "down_proj");
      });
      return add(g, mid, mlp);
    });
  }

  const logits = g.scope("head", () => {
    // the last layer already kept one row per batch row: [batch, 1, hidden]
    const pooled = squeeze(g, hidden, [1]);
    return linear(g, rmsNorm(g, pooled, frozen("model.norm.weight"), config.rmsNormEps), scoreWeight);
  });
  return { inputIds, attentionMask, lastPositions, logits, trainable: injection.trainable, doraNorms: injection.doraNorms, dropout: injection.dropout };
}

/** HF `repeat_kv`: `[b, kv, s, d]` → `[b, kv·group, s, d]`, query head i reading kv head ⌊i / group⌋. */
function repeatKv(g: Graph, x: Tensor, group: number, d: number): Tensor {
  if (group === 1) return x;
  const kv = Number(x.shape[1]);
  return reshape(g, expand(g, unsqueeze(g, x, [2]), [1, 1, group, 1, 1]), [0, kv * group, -1, d]);
}
