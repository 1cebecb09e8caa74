import type { LlamaConfig } from "./config.js";
import { referenceAdd, referenceLinear, referenceRmsNorm } from "../reference-math.js";

/**
 * An independent float64 forward of HF `LlamaForSequenceClassification`, written from the math with typed arrays and
 * plain loops, to check the graph-built model against. Slow by design; use it on fixtures only.
 *
 * Conventions mirrored from transformers' modeling_llama: Linear weights are `[out, in]` (y = x Wᵀ + b); RoPE uses
 * `rotate_half` (first half paired with second half, not interleaved) with inv_freq = θ^(−2i/d); query head h reads
 * key/value head ⌊h / (heads / kvHeads)⌋ (repeat_kv); position ids are 0..seq−1 whatever the padding; the pooled row
 * is the last token that is not `pad_token_id`.
 */

/** LoRA on one Linear, in PEFT's layout: y = x Wᵀ + b + scale · (x Aᵀ) Bᵀ, or DoRA when `magnitude` is set. */
export interface ReferenceLora {
  /** `lora_A.weight`, shape `[rank, in]`, row-major. */
  readonly a: Float64Array;
  /** `lora_B.weight`, shape `[out, rank]`, row-major. */
  readonly b: Float64Array;
  /** The rank r. */
  readonly rank: number;
  /** alpha / r (or alpha / √r with rsLoRA). */
  readonly scale: number;
  /** DoRA `lora_magnitude_vector`, shape `[out]`: y = m / ‖W + scale·BA‖_row ⊙ x (W + scale·BA)ᵀ + b. */
  readonly magnitude?: Float64Array;
}

/** Inputs of one forward. */
export interface ReferenceInputs {
  /** Token ids, `[batch, seq]` row-major. */
  readonly inputIds: Int32Array;
  /** Rows in the batch. */
  readonly batch: number;
  /** Tokens per row. */
  readonly seq: number;
  /** 1 = attend, 0 = padding key, `[batch, seq]`. Defaults to all ones. */
  readonly attentionMask?: Uint8Array;
}

/** Outputs of one forward. */
export interface ReferenceOutputs {
  /** Pooled logits, `[batch, numLabels]`. */
  readonly logits: Float64Array;
  /** The position pooled in each row. */
  readonly pooledPositions: Int32Array;
  /** Score-head logits at every position, `[batch, seq, numLabels]`. */
  readonly allLogits: Float64Array;
}

/**
 * Runs the model. `weights` maps HF key names (`model.layers.0.self_attn.q_proj.weight`, `score.weight`, …) to float64
 * arrays; `loras` maps module paths (`model.layers.0.self_attn.q_proj`, `score`) to adapters.
 */
export function referenceForward(
  config: LlamaConfig,
  weights: ReadonlyMap<string, Float64Array>,
  inputs: ReferenceInputs,
  loras: ReadonlyMap<string, ReferenceLora> = new Map(),
): ReferenceOutputs {
  const { batch, seq } = inputs;
  const { hiddenSize: h, headDim: d, numAttentionHeads: nq, numKeyValueHeads: nkv, intermediateSize: m } = config;
  const tokens = batch * seq;
  const weight = (name: string): Float64Array => {
    const w = weights.get(name);
    if (!w) throw new Error(`referenceForward: missing weight ${name}`);
    return w;
  };
  const project = (x: Float64Array, module: string, inDim: number, outDim: number, bias: boolean): Float64Array =>
    linear(x, tokens, inDim, outDim, weight(`${module}.weight`), bias ? weight(`${module}.bias`) : null, loras.get(module));

  let x: Float64Array = new Float64Array(tokens * h);
  const embed = weight("model.embed_tokens.weight");
  for (let t = 0; t < tokens; t++) {
    const id = inputs.inputIds[t];
    if (id < 0 || id >= config.vocabSize) throw new Error(`referenceForward: token id ${id} outside the vocabulary`);
    x.set(embed.subarray(id * h, (id + 1) * h), t * h);
  }
  const mask = inputs.attentionMask ?? new Uint8Array(tokens).fill(1);
  const { cos, sin } = rotaryTables(seq, d, config.ropeTheta);

  for (let layer = 0; layer < config.numHiddenLayers; layer++) {
    const p = `model.layers.${layer}`;
    const normed = referenceRmsNorm(x, tokens, h, weight(`${p}.input_layernorm.weight`), config.rmsNormEps);
    const q = project(normed, `${p}.self_attn.q_proj`, h, nq * d, config.qkvBias);
    const k = project(normed, `${p}.self_attn.k_proj`, h, nkv * d, config.qkvBias);
    const v = project(normed, `${p}.self_attn.v_proj`, h, nkv * d, config.qkvBias);
    applyRotary(q, tokens, seq, nq, d, cos, sin);
    applyRotary(k, tokens, seq, nkv, d, cos, sin);
    const context = attention(q, k, v, mask, { batch, seq, nq, nkv, d, window: config.slidingWindow });
    x = referenceAdd(x, project(context, `${p}.self_attn.o_proj`, nq * d, h, config.oBias));

    const normed2 = referenceRmsNorm(x, tokens, h, weight(`${p}.post_attention_layernorm.weight`), config.rmsNormEps);
    const gate = project(normed2, `${p}.mlp.gate_proj`, h, m, config.mlpBias);
    const up = project(normed2, `${p}.mlp.up_proj`, h, m, config.mlpBias);
    for (let i = 0; i < gate.length; i++) gate[i] = (gate[i] / (1 + Math.exp(-gate[i]))) * up[i];
    x = referenceAdd(x, project(gate, `${p}.mlp.down_proj`, m, h, config.mlpBias));
  }

  const final = referenceRmsNorm(x, tokens, h, weight("model.norm.weight"), config.rmsNormEps);
  const labels = config.labels.length;
  const allLogits = linear(final, tokens, h, labels, weight("score.weight"), null, loras.get("score"));
  const pooledPositions = lastNonPadPositions(inputs.inputIds, batch, seq, config.padTokenId);
  const logits = new Float64Array(batch * labels);
  for (let b = 0; b < batch; b++) {
    const t = b * seq + pooledPositions[b];
    logits.set(allLogits.subarray(t * labels, (t + 1) * labels), b * labels);
  }
  return { logits, pooledPositions, allLogits };
}

/**
 * HF's pooling: the rightmost position whose id is not the pad id (0 when the whole row is padding, as argmax of
 * zeros gives). Without a pad id HF accepts batch 1 only and pools the last position.
 */
export function lastNonPadPositions(inputIds: Int32Array, batch: number, seq: number, padTokenId: number | null): Int32Array {
  const positions = new Int32Array(batch);
  if (padTokenId === null) {
    if (batch !== 1) throw new Error("referenceForward: a batch of more than one row needs pad_token_id, as in HF");
    positions[0] = seq - 1;
    return positions;
  }
  for (let b = 0; b < batch; b++) {
    for (let s = seq - 1; s >= 0; s--) {
      if (inputIds[b * seq + s] !== padTokenId) {
        positions[b] = s;
        break;
      }
    }
  }
  return positions;
}

/** cos/sin of position × inv_freq, `[seq, d/2]` (HF concatenates the half with itself; we index it twice). */
export function rotaryTables(seq: number, d: number, theta: number): { cos: Float64Array; sin: Float64Array } {
  const half = d / 2;
  const cos = new Float64Array(seq * half);
  const sin = new Float64Array(seq * half);
  for (let i = 0; i < half; i++) {
    const invFreq = 1 / Math.pow(theta, (2 * i) / d);
    for (let pos = 0; pos < seq; pos++) {
      cos[pos * half + i] = Math.cos(pos * invFreq);
      sin[pos * half + i] = Math.sin(pos * invFreq);
    }
  }
  return { cos, sin };
}

/** x·cos + rotate_half(x)·sin in place, rotate_half(x) = [−x₂, x₁] over the two halves of each head. */
function applyRotary(x: Float64Array, tokens: number, seq: number, heads: number, d: number, cos: Float64Array, sin: Float64Array): void {
  const half = d / 2;
  for (let t = 0; t < tokens; t++) {
    const pos = t % seq;
    for (let head = 0; head < heads; head++) {
      const base = (t * heads + head) * d;
      for (let i = 0; i < half; i++) {
        const x1 = x[base + i];
        const x2 = x[base + half + i];
        const c = cos[pos * half + i];
        const s = sin[pos * half + i];
        x[base + i] = x1 * c - x2 * s;
        x[base + half + i] = x2 * c + x1 * s;
      }
    }
  }
}

interface AttentionShape {
  batch: number;
  seq: number;
  nq: number;
  nkv: number;
  d: number;
  window: number | null;
}

/** Causal softmax attention with padding keys masked; a query with every key masked yields zeros. */
function attention(q: Float64Array, k: Float64Array, v: Float64Array, mask: Uint8Array, shape: AttentionShape): Float64Array {
  const { batch, seq, nq, nkv, d, window } = shape;
  const group = nq / nkv;
  const out = new Float64Array(batch * seq * nq * d);
  const scores = new Float64Array(seq);
  const scale = 1 / Math.sqrt(d);
  for (let b = 0; b < batch; b++) {
    for (let head = 0; head < nq; head++) {
      const kvHead = Math.floor(head / group);
      for (let i = 0; i < seq; i++) {
        const qBase = ((b * seq + i) * nq + head) * d;
        let max = -Infinity;
        for (let j = 0; j < seq; j++) {
          const visible = j <= i && mask[b * seq + j] === 1 && (window === null || i - j < window);
          if (!visible) {
            scores[j] = -Infinity;
            continue;
          }
          const kBase = ((b * seq + j) * nkv + kvHead) * d;
          let dot = 0;
          for (let c = 0; c < d; c++) dot += q[qBase + c] * k[kBase + c];
          scores[j] = dot * scale;
          if (scores[j] > max) max = scores[j];
        }
        if (max === -Infinity) continue;
        let total = 0;
        for (let j = 0; j < seq; j++) {
          scores[j] = Math.exp(scores[j] - max);
          total += scores[j];
        }
        for (let j = 0; j < seq; j++) {
          const p = scores[j] / total;
          if (p === 0) continue;
          const vBase = ((b * seq + j) * nkv + kvHead) * d;
          for (let c = 0; c < d; c++) out[qBase + c] += p * v[vBase + c];
        }
      }
    }
  }
  return out;
}

/** x Wᵀ + b with the LoRA / DoRA update folded into W, W `[outDim, inDim]`. */
function linear(x: Float64Array, rows: number, inDim: number, outDim: number, w: Float64Array, bias: Float64Array | null, lora: ReferenceLora | undefined): Float64Array {
  return referenceLinear(x, rows, inDim, outDim, lora ? adaptedWeight(w, inDim, outDim, lora) : w, bias);
}

/** W + scale·B·A, each row rescaled to magnitude[o] / ‖row‖ under DoRA. */
function adaptedWeight(w: Float64Array, inDim: number, outDim: number, lora: ReferenceLora): Float64Array {
  const merged = Float64Array.from(w);
  for (let o = 0; o < outDim; o++) {
    for (let i = 0; i < inDim; i++) {
      let delta = 0;
      for (let r = 0; r < lora.rank; r++) delta += lora.b[o * lora.rank + r] * lora.a[r * inDim + i];
      merged[o * inDim + i] += lora.scale * delta;
    }
  }
  if (lora.magnitude) {
    for (let o = 0; o < outDim; o++) {
      let norm = 0;
      for (let i = 0; i < inDim; i++) norm += merged[o * inDim + i] ** 2;
      const factor = lora.magnitude[o] / Math.sqrt(norm);
      for (let i = 0; i < inDim; i++) merged[o * inDim + i] *= factor;
    }
  }
  return merged;
}

