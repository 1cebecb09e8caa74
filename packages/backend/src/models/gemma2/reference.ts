import { GEMMA2_LAYER_NORMS, type Gemma2Config } from "./config.js";
import { referenceLinear, referenceRmsNorm } from "../reference-math.js";

/**
 * An independent float64 forward of HF `Gemma2ForSequenceClassification` (modeling_gemma2, eager attention), from
 * the math with typed arrays and plain loops: embeddings × √hidden; RMSNorm x·(1 + w); per layer
 * h += postNorm(attn(inNorm(h))), h += postFfNorm(mlp(preFfNorm(h))); scores q·k·query_pre_attn_scalar^−½,
 * soft-capped, masked causally, for padding and (on sliding layers) beyond the window; GeGLU with tanh GELU; RoPE
 * `rotate_half`; query head h reads kv head ⌊h / group⌋; pooled at the given positions. Fixtures only.
 */

/** Inputs of one forward, `[batch, seq]` row-major. */
export interface Gemma2ReferenceInputs {
  /** Token ids. */
  readonly inputIds: Int32Array;
  /** 1 = real token, 0 = padding. */
  readonly attentionMask: Uint8Array;
  /** Position pooled per row. */
  readonly pooled: Int32Array;
  /** Rows. */
  readonly batch: number;
  /** Tokens per row. */
  readonly seq: number;
}

/** Pooled logits `[batch, classes]`; `finalSoftcap` applies `final_logit_softcapping` to them. */
export function gemma2ReferenceForward(config: Gemma2Config, weights: ReadonlyMap<string, Float64Array>, inputs: Gemma2ReferenceInputs, finalSoftcap = false): Float64Array {
  const { batch, seq } = inputs;
  const { hiddenSize: h, numAttentionHeads: nq, numKeyValueHeads: nkv, headDim: d, intermediateSize: m, rmsNormEps: eps } = config;
  const tokens = batch * seq;
  const w = (key: string): Float64Array => {
    const value = weights.get(key);
    if (!value) throw new Error(`gemma2ReferenceForward: missing weight ${key}`);
    return value;
  };
  // Gemma's RMSNorm scales by (1 + w)
  const norm = (x: Float64Array, rows: number, key: string) => referenceRmsNorm(x, rows, h, w(key).map((v) => 1 + v), eps);
  const tanhGelu = (x: number) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));

  let x: Float64Array = new Float64Array(tokens * h);
  const embed = w("model.embed_tokens.weight");
  for (let t = 0; t < tokens; t++) for (let j = 0; j < h; j++) x[t * h + j] = embed[inputs.inputIds[t] * h + j] * Math.sqrt(h);

  for (let layer = 0; layer < config.numHiddenLayers; layer++) {
    const p = `model.layers.${layer}`;
    const [inNorm, postAttnNorm, preFfNorm, postFfNorm] = GEMMA2_LAYER_NORMS.map((n) => `${p}.${n}.weight`);
    const a = norm(x, tokens, inNorm);
    const q = referenceLinear(a, tokens, h, nq * d, w(`${p}.self_attn.q_proj.weight`));
    const k = referenceLinear(a, tokens, h, nkv * d, w(`${p}.self_attn.k_proj.weight`));
    const v = referenceLinear(a, tokens, h, nkv * d, w(`${p}.self_attn.v_proj.weight`));
    rotate(q, tokens, seq, nq, d, config.ropeTheta);
    rotate(k, tokens, seq, nkv, d, config.ropeTheta);
    const context = new Float64Array(tokens * nq * d);
    const scores = new Float64Array(seq);
    const group = nq / nkv;
    for (let b = 0; b < batch; b++) {
      for (let head = 0; head < nq; head++) {
        const kvHead = Math.floor(head / group);
        for (let i = 0; i < seq; i++) {
          let max = -Infinity;
          for (let j = 0; j < seq; j++) {
            const visible = j <= i && inputs.attentionMask[b * seq + j] === 1 && !(config.slidingLayers[layer] && i - j >= config.slidingWindow);
            let s = 0;
            for (let e = 0; e < d; e++) s += q[((b * seq + i) * nq + head) * d + e] * k[((b * seq + j) * nkv + kvHead) * d + e];
            s /= Math.sqrt(config.queryPreAttnScalar);
            if (config.attnLogitSoftcapping !== null) s = config.attnLogitSoftcapping * Math.tanh(s / config.attnLogitSoftcapping);
            scores[j] = visible ? s : -Infinity;
            max = Math.max(max, scores[j]);
          }
          // a fully masked row (a padded query with nothing before it) comes out uniform in HF's additive mask; it
          // is never pooled, so only finiteness matters
          if (max === -Infinity) continue;
          let sum = 0;
          for (let j = 0; j < seq; j++) sum += scores[j] = Math.exp(scores[j] - max);
          for (let j = 0; j < seq; j++) {
            const weight = scores[j] / sum;
            for (let e = 0; e < d; e++) context[((b * seq + i) * nq + head) * d + e] += weight * v[((b * seq + j) * nkv + kvHead) * d + e];
          }
        }
      }
    }
    const attnOut = norm(referenceLinear(context, tokens, nq * d, h, w(`${p}.self_attn.o_proj.weight`)), tokens, postAttnNorm);
    x = x.map((value, i) => value + attnOut[i]);
    const f = norm(x, tokens, preFfNorm);
    const gate = referenceLinear(f, tokens, h, m, w(`${p}.mlp.gate_proj.weight`));
    const up = referenceLinear(f, tokens, h, m, w(`${p}.mlp.up_proj.weight`));
    const mlp = norm(referenceLinear(gate.map((g, i) => tanhGelu(g) * up[i]), tokens, m, h, w(`${p}.mlp.down_proj.weight`)), tokens, postFfNorm);
    x = x.map((value, i) => value + mlp[i]);
  }

  const pooled = new Float64Array(batch * h);
  for (let b = 0; b < batch; b++) pooled.set(x.subarray((b * seq + inputs.pooled[b]) * h, (b * seq + inputs.pooled[b] + 1) * h), b * h);
  const logits = referenceLinear(norm(pooled, batch, "model.norm.weight"), batch, h, config.labels.length, w("score.weight"));
  const cap = config.finalLogitSoftcapping;
  return finalSoftcap && cap !== null ? logits.map((z) => cap * Math.tanh(z / cap)) : logits;
}

/** RoPE in place, `rotate_half` layout, position = index within the row. */
function rotate(x: Float64Array, tokens: number, seq: number, heads: number, d: number, theta: number): void {
  const half = d / 2;
  for (let t = 0; t < tokens; t++) {
    const pos = t % seq;
    for (let head = 0; head < heads; head++) {
      const base = (t * heads + head) * d;
      for (let i = 0; i < half; i++) {
        const angle = pos * theta ** (-(2 * i) / d);
        const [c, s] = [Math.cos(angle), Math.sin(angle)];
        const x1 = x[base + i];
        const x2 = x[base + i + half];
        x[base + i] = x1 * c - x2 * s;
        x[base + i + half] = x2 * c + x1 * s;
      }
    }
  }
}
