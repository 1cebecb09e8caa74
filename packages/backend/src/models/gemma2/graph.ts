import type { Graph } from "../../graph.js";
import { causalBias, mergeHeads, positionsOf, queryRowBias, splitHeads } from "../../nn/attention.js";
import { linear } from "../../nn/linear.js";
import { poolPositions } from "../../nn/pool-last.js";
import { rmsNorm } from "../../nn/norm.js";
import { applyRope, applyRopePerRow, ropeTables } from "../../nn/rope.js";
import { add, expand, gather, less, matMul, mul, reshape, softmax, squeeze, sub, transpose, unsqueeze, where } from "../../ops/index.js";
import type { Tensor } from "../../ops/types.js";
import { ModelWeightsError, type HfWeight } from "../hf-files.js";
import { geluTanh, softCap } from "../layers.js";
import type { Classifier } from "../architecture.js";
import { injectLora } from "../lora-injection.js";
import type { LoraPlan } from "../lora-targets.js";
import { transpose2d } from "../transpose.js";
import { GEMMA2_LAYER_NORMS, gemma2LayerLinears, type Gemma2Config } from "./config.js";

/**
 * HF `Gemma2ForSequenceClassification` as a graph: embeddings scaled by √hidden → decoder layers, each with four
 * RMSNorms (x·(1 + w)) around attention and the GeGLU MLP (pre- and post-norms on both), attention scaled by
 * `query_pre_attn_scalar`^−½ with soft-capped scores, sliding-window layers alternating with global ones → final
 * RMSNorm → `score` at the pooled position. Inputs as the Llama classifier's, so the same batches feed both.
 */

/** Options of `buildGemma2Classifier`. */
export interface Gemma2GraphOptions {
  /** Adapters to inject and the head to train; null builds the plain model with `score.weight` frozen. Defaults to `null`. */
  readonly lora?: LoraPlan | null;
  /** Longest sequence the RoPE tables cover. Defaults to `config.maxPositionEmbeddings`. */
  readonly maxSeq?: number;
  /** Build the plan's LoRA dropout (training graphs; see `injectLora`). Defaults to `false`. */
  readonly dropout?: boolean;
  /** Soft-cap the class logits with `final_logit_softcapping` as Gemma2ForCausalLM does its LM logits (HF's classification head does not). Defaults to `false`. */
  readonly finalSoftcap?: boolean;
  /** Tensors to use instead of the float32 `attention_mask` and `last_positions` inputs. Defaults to `null`. */
  readonly derivedInputs?: { readonly attentionMask: Tensor; readonly lastPositions: Tensor } | null;
}

/** The classifier in a graph. */
export interface Gemma2Classifier extends Classifier {
  /** Token ids, int64 `[batch, seq]`. */
  readonly inputIds: Tensor;
  /** 1 for real tokens, 0 for padding, float32 `[batch, seq]` (unless derived). */
  readonly attentionMask: Tensor;
  /** Position pooled per row, int64 `[batch]` (unless derived). */
  readonly lastPositions: Tensor;
}

const MASKED = -1e9;

/** Builds the classifier into `g` from HF-keyed float32 weights. */
export function buildGemma2Classifier(g: Graph, config: Gemma2Config, weights: ReadonlyMap<string, HfWeight>, options: Gemma2GraphOptions = {}): Gemma2Classifier {
  const { hiddenSize: h, numAttentionHeads: nq, numKeyValueHeads: nkv, headDim: d, rmsNormEps: eps } = config;
  const get = (key: string): HfWeight => {
    const w = weights.get(key);
    if (!w) throw new ModelWeightsError("(weights given to buildGemma2Classifier)", [key], [], []);
    return w;
  };
  const linearWeight = (key: string) => {
    const w = get(key);
    return g.weight(key, "float32", [w.shape[1], w.shape[0]], transpose2d(w.data, w.shape[0], w.shape[1]));
  };
  // Gemma's RMSNorm multiplies by (1 + w); the sum is folded once on the host.
  const norm = (x: Tensor, key: string) => {
    const w = get(key);
    return rmsNorm(g, x, g.weight(`${key}+1`, "float32", [h], w.data.map((v) => v + 1)), eps);
  };
  const injection = injectLora(g, options.lora ?? null, { dropout: options.dropout });
  const project = (x: Tensor, path: string) => injection.project(x, path, linearWeight(`${path}.weight`));

  const inputIds = g.input("input_ids", "int64", ["batch", "seq"]);
  const attentionMask = options.derivedInputs?.attentionMask ?? g.input("attention_mask", "float32", ["batch", "seq"]);
  const lastPositions = options.derivedInputs?.lastPositions ?? g.input("last_positions", "int64", ["batch"]);

  const positions = positionsOf(g, inputIds);
  const rope = ropeTables(g, options.maxSeq ?? config.maxPositionEmbeddings, d, config.ropeTheta);
  const [globalBias, slidingBias] = g.scope("mask", () => {
    const padding = mul(g, sub(g, unsqueeze(g, attentionMask, [1, 2]), 1), -MASKED);
    const causal = add(g, causalBias(g, positions), padding);
    // key j is outside query i's window when i − j ≥ window
    const far = less(g, add(g, unsqueeze(g, positions, [0]), config.slidingWindow - 1), unsqueeze(g, positions, [1]));
    return [causal, add(g, causal, where(g, far, g.constant(MASKED), g.constant(0)))];
  });
  const scale = config.queryPreAttnScalar ** -0.5;
  const cap = config.attnLogitSoftcapping;

  const embed = g.weight("model.embed_tokens.weight", "float32", [...get("model.embed_tokens.weight").shape], get("model.embed_tokens.weight").data);
  let hidden = mul(g, gather(g, embed, inputIds), Math.fround(Math.sqrt(h)));
  for (let layer = 0; layer < config.numHiddenLayers; layer++) {
    const p = `model.layers.${layer}`;
    const [inNorm, postAttnNorm, preFfNorm, postFfNorm] = GEMMA2_LAYER_NORMS.map((n) => `${p}.${n}.weight`);
    // The logits read one position per row, so past the last layer's keys and values only that row is computed.
    const last = layer === config.numHiddenLayers - 1;
    const sliding = config.slidingLayers[layer];
    hidden = g.scope(`layer${layer}`, () => {
      const x = norm(hidden, inNorm);
      const residual = last ? unsqueeze(g, poolPositions(g, hidden, lastPositions), [1]) : hidden;
      const attnOut = g.scope("attn", () => {
        const q = last
          ? applyRopePerRow(g, splitHeads(g, project(unsqueeze(g, poolPositions(g, x, lastPositions), [1]), `${p}.${gemma2LayerLinears.q_proj}`), nq), rope, lastPositions)
          : applyRope(g, splitHeads(g, project(x, `${p}.${gemma2LayerLinears.q_proj}`), nq), rope, positions);
        const k = repeatKv(g, applyRope(g, splitHeads(g, project(x, `${p}.${gemma2LayerLinears.k_proj}`), nkv), rope, positions), nq / nkv, d);
        const v = repeatKv(g, splitHeads(g, project(x, `${p}.${gemma2LayerLinears.v_proj}`), nkv), nq / nkv, d);
        let scores = matMul(g, mul(g, q, scale), transpose(g, k, [0, 1, 3, 2]));
        if (cap !== null) scores = softCap(g, scores, cap);
        const bias = last ? queryRowBias(g, lastPositions, positions, attentionMask, sliding ? config.slidingWindow : null) : sliding ? slidingBias : globalBias;
        const probs = softmax(g, add(g, scores, bias), -1);
        return project(mergeHeads(g, matMul(g, probs, v)), `${p}.${gemma2LayerLinears.o_proj}`);
      });
      const mid = add(g, residual, norm(attnOut, postAttnNorm));
      const mlp = g.scope("mlp", () => {
        const x = norm(mid, preFfNorm);
        const gate = geluTanh(g, project(x, `${p}.${gemma2LayerLinears.gate_proj}`));
        return project(mul(g, gate, project(x, `${p}.${gemma2LayerLinears.up_proj}`)), `${p}.${gemma2LayerLinears.down_proj}`);
      });
      return add(g, mid, norm(mlp, postFfNorm));
    });
  }

  const logits = g.scope("head", () => {
    // the last layer already kept one row per batch row: [batch, 1, hidden]
    const raw = linear(g, norm(squeeze(g, hidden, [1]), "model.norm.weight"), injection.head("score.weight") ?? linearWeight("score.weight"));
    const finalCap = config.finalLogitSoftcapping;
    return options.finalSoftcap && finalCap !== null ? softCap(g, raw, finalCap) : raw;
  });
  return { inputIds, attentionMask, lastPositions, logits, trainable: injection.trainable, doraNorms: injection.doraNorms, dropout: injection.dropout };
}

/** HF `repeat_kv`: `[b, kv, s, d]` → `[b, kv·group, s, d]`. */
function repeatKv(g: Graph, x: Tensor, group: number, d: number): Tensor {
  if (group === 1) return x;
  const kv = Number(x.shape[1]);
  return reshape(g, expand(g, unsqueeze(g, x, [2]), [1, 1, group, 1, 1]), [0, kv * group, -1, d]);
}
