import type { DType } from "../dtype.js";
import { hostArrayFrom } from "../dtype.js";
import type { Graph } from "../graph.js";
import type { HostTensor } from "../host-tensor.js";
import { add, gather, shapeOf, squeeze, sub, unsqueeze } from "../ops/index.js";
import type { Tensor } from "../ops/types.js";
import { attention, causalBias, mergeHeads, positionsOf, splitHeads } from "./attention.js";
import { linear, loraLinear, type LoraAdapter } from "./linear.js";
import { rmsNorm } from "./norm.js";
import { applyRope, ropeTables } from "./rope.js";
import { swiglu } from "./mlp.js";

/** A Llama-style decoder stack with a classification head on the last token. */
export interface LlamaStackConfig {
  /** Vocabulary size. */
  vocab: number;
  /** Residual width. */
  hidden: number;
  /** Decoder layers. */
  layers: number;
  /** Attention heads (key/value heads equal query heads). */
  heads: number;
  /** SwiGLU inner width. */
  ffn: number;
  /** Output classes of the head. */
  classes: number;
  /** LoRA rank on q/k/v/o. */
  rank: number;
  /** LoRA alpha; scale = alpha / rank. */
  alpha: number;
  /** Longest sequence the RoPE tables cover. */
  maxSeq: number;
  /** Element type of weights and activations. */
  dtype: DType;
  /** RMSNorm epsilon. */
  eps: number;
  /** RoPE base θ. */
  ropeTheta: number;
}

/** Provides a frozen weight's values by name and shape (HF checkpoints later; seeded random in tests and benchmarks). */
export type WeightSource = (name: string, shape: readonly number[]) => HostTensor;

/** A stack in a graph: its trainable inputs (LoRA A/B per projection, then the head) and its outputs. */
export interface LlamaStack {
  /** Trainable parameters, as graph inputs, in a fixed order. */
  readonly trainable: readonly Tensor[];
  /** Logits `[batch, classes]` for the last position of each row. */
  readonly logits: Tensor;
}

const PROJECTIONS = ["q_proj", "k_proj", "v_proj", "o_proj"] as const;

/** Seeded uniform(−1/√fan_in, 1/√fan_in) weights (norm gains are 1) from a small xorshift stream. */
export function seededWeights(dtype: DType, seed = 1): WeightSource {
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
  return (name, shape) => {
    const n = shape.reduce((p, d) => p * d, 1);
    const values = new Float64Array(n);
    if (name.endsWith("norm")) values.fill(1);
    else {
      const bound = 1 / Math.sqrt(shape[0]);
      for (let i = 0; i < n; i++) values[i] = (next() * 2 - 1) * bound;
    }
    return { data: hostArrayFrom(dtype, values), shape };
  };
}

/** Names and shapes of the trainable inputs, in {@link LlamaStack.trainable} order. */
export function llamaTrainableShapes(c: LlamaStackConfig): { name: string; shape: number[] }[] {
  const out: { name: string; shape: number[] }[] = [];
  for (let l = 0; l < c.layers; l++) {
    for (const p of PROJECTIONS) {
      out.push({ name: `layer${l}/attn/${p}/lora_A`, shape: [c.hidden, c.rank] });
      out.push({ name: `layer${l}/attn/${p}/lora_B`, shape: [c.rank, c.hidden] });
    }
  }
  out.push({ name: "head/weight", shape: [c.hidden, c.classes] });
  return out;
}

/** Builds embedding → layers (RMSNorm, RoPE causal attention with LoRA on q/k/v/o, SwiGLU) → norm → last-token head. */
export function llamaStack(g: Graph, c: LlamaStackConfig, inputIds: Tensor, weights: WeightSource): LlamaStack {
  const frozen = (name: string, shape: number[]) => g.weight(name, c.dtype, shape, weights(name, shape).data);
  const trainable = llamaTrainableShapes(c).map(({ name, shape }) => g.input(name, c.dtype, shape));
  const byName = new Map(trainable.map((t) => [t.name, t]));
  const headDim = c.hidden / c.heads;
  const rope = ropeTables(g, c.maxSeq, headDim, c.ropeTheta, c.dtype);
  let h = gather(g, frozen("embed_tokens", [c.vocab, c.hidden]), inputIds);
  const positions = positionsOf(g, inputIds);
  const bias = causalBias(g, positions, c.dtype);
  const lastIndex = sub(g, gather(g, shapeOf(g, inputIds), g.constant(1, "int64")), 1);
  for (let l = 0; l < c.layers; l++) {
    // The head reads the last position only, so the last layer computes the query, attention output and MLP of that
    // position alone (its keys and values still cover every position): exact, and one layer's work lighter.
    const last = l === c.layers - 1;
    h = g.scope(`layer${l}`, () => {
      const adapter = (p: string): LoraAdapter => ({
        a: byName.get(`layer${l}/attn/${p}/lora_A`) as Tensor,
        b: byName.get(`layer${l}/attn/${p}/lora_B`) as Tensor,
        scale: c.alpha / c.rank,
      });
      const attnOut = g.scope("attn", () => {
        const x = rmsNorm(g, h, frozen(`layer${l}/input_norm`, [c.hidden]), c.eps);
        const proj = (p: string, input = x) => g.scope(p, () => loraLinear(g, input, frozen(`layer${l}/${p}`, [c.hidden, c.hidden]), adapter(p)));
        // the last position sees every key: no causal bias for it
        const q = last
          ? applyRope(g, splitHeads(g, proj("q_proj", gather(g, x, unsqueeze(g, lastIndex, [0]), 1)), c.heads), rope, unsqueeze(g, lastIndex, [0]))
          : applyRope(g, splitHeads(g, proj("q_proj"), c.heads), rope, positions);
        const k = applyRope(g, splitHeads(g, proj("k_proj"), c.heads), rope, positions);
        const v = splitHeads(g, proj("v_proj"), c.heads);
        const o = mergeHeads(g, attention(g, q, k, v, last ? g.constant(0, c.dtype) : bias));
        return g.scope("o_proj", () => loraLinear(g, o, frozen(`layer${l}/o_proj`, [c.hidden, c.hidden]), adapter("o_proj")));
      });
      const mid = add(g, last ? gather(g, h, unsqueeze(g, lastIndex, [0]), 1) : h, attnOut);
      const x = rmsNorm(g, mid, frozen(`layer${l}/post_attention_norm`, [c.hidden]), c.eps);
      const mlp = swiglu(g, x, {
        gate: frozen(`layer${l}/gate_proj`, [c.hidden, c.ffn]),
        up: frozen(`layer${l}/up_proj`, [c.hidden, c.ffn]),
        down: frozen(`layer${l}/down_proj`, [c.ffn, c.hidden]),
      });
      return add(g, mid, mlp);
    });
  }
  // the last layer kept one position: [batch, 1, hidden]
  const logits = g.scope("head", () => linear(g, rmsNorm(g, squeeze(g, h, [1]), frozen("final_norm", [c.hidden]), c.eps), byName.get("head/weight") as Tensor));
  return { trainable, logits };
}
