import type { BertConfig } from "./config.js";
import type { BertPooling } from "./graph.js";
import { referenceAdd, referenceLinear } from "../reference-math.js";

/**
 * An independent float64 forward of HF `BertForSequenceClassification`, from the math with typed arrays and plain
 * loops, to check the graph against. Mirrors transformers' modeling_bert: Linear weights `[out, in]`; embeddings =
 * LayerNorm(word + position (0..seq−1) + token type); each layer LayerNorm(x + attn(x)) then LayerNorm(x + ffn(x));
 * padding keys masked out; CLS pooling through `pooler.dense` + tanh. Slow by design; fixtures only.
 */

/** Inputs of one forward, `[batch, seq]` row-major. */
export interface BertReferenceInputs {
  /** Token ids. */
  readonly inputIds: Int32Array;
  /** Segment ids. */
  readonly tokenTypeIds: Int32Array;
  /** 1 = real token, 0 = padding. */
  readonly attentionMask: Uint8Array;
  /** Rows. */
  readonly batch: number;
  /** Tokens per row. */
  readonly seq: number;
}

/** Pooled logits `[batch, classes]`. */
export function bertReferenceForward(config: BertConfig, weights: ReadonlyMap<string, Float64Array>, inputs: BertReferenceInputs, pooling: BertPooling = "cls"): Float64Array {
  const { batch, seq } = inputs;
  const { hiddenSize: h, numAttentionHeads: heads, headDim: d, intermediateSize: m, layerNormEps: eps } = config;
  const tokens = batch * seq;
  const w = (key: string): Float64Array => {
    const value = weights.get(key);
    if (!value) throw new Error(`bertReferenceForward: missing weight ${key}`);
    return value;
  };
  const dense = (x: Float64Array, rows: number, path: string, inDim: number, outDim: number) => referenceLinear(x, rows, inDim, outDim, w(`${path}.weight`), w(`${path}.bias`));
  const norm = (x: Float64Array, rows: number, path: string) => layerNorm(x, rows, h, w(`${path}.weight`), w(`${path}.bias`), eps);
  const act = config.hiddenAct === "gelu" ? (x: number) => 0.5 * x * (1 + erf(x / Math.SQRT2)) : (x: number) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));

  let x: Float64Array = new Float64Array(tokens * h);
  const word = w("bert.embeddings.word_embeddings.weight");
  const pos = w("bert.embeddings.position_embeddings.weight");
  const type = w("bert.embeddings.token_type_embeddings.weight");
  for (let t = 0; t < tokens; t++) {
    const id = inputs.inputIds[t];
    const tt = inputs.tokenTypeIds[t];
    const p = t % seq;
    for (let j = 0; j < h; j++) x[t * h + j] = word[id * h + j] + pos[p * h + j] + type[tt * h + j];
  }
  x = norm(x, tokens, "bert.embeddings.LayerNorm");

  for (let layer = 0; layer < config.numHiddenLayers; layer++) {
    const p = `bert.encoder.layer.${layer}`;
    const q = dense(x, tokens, `${p}.attention.self.query`, h, h);
    const k = dense(x, tokens, `${p}.attention.self.key`, h, h);
    const v = dense(x, tokens, `${p}.attention.self.value`, h, h);
    const context = new Float64Array(tokens * h);
    const scores = new Float64Array(seq);
    for (let b = 0; b < batch; b++) {
      for (let head = 0; head < heads; head++) {
        for (let i = 0; i < seq; i++) {
          let max = -Infinity;
          for (let j = 0; j < seq; j++) {
            let s = 0;
            for (let e = 0; e < d; e++) s += q[(b * seq + i) * h + head * d + e] * k[(b * seq + j) * h + head * d + e];
            scores[j] = inputs.attentionMask[b * seq + j] ? s / Math.sqrt(d) : -Infinity;
            max = Math.max(max, scores[j]);
          }
          let sum = 0;
          for (let j = 0; j < seq; j++) sum += scores[j] = Math.exp(scores[j] - max);
          for (let j = 0; j < seq; j++) {
            const weight = scores[j] / sum;
            for (let e = 0; e < d; e++) context[(b * seq + i) * h + head * d + e] += weight * v[(b * seq + j) * h + head * d + e];
          }
        }
      }
    }
    x = norm(referenceAdd(x, dense(context, tokens, `${p}.attention.output.dense`, h, h)), tokens, `${p}.attention.output.LayerNorm`);
    const inner = dense(x, tokens, `${p}.intermediate.dense`, h, m).map(act);
    x = norm(referenceAdd(x, dense(inner, tokens, `${p}.output.dense`, m, h)), tokens, `${p}.output.LayerNorm`);
  }

  const pooled = new Float64Array(batch * h);
  for (let b = 0; b < batch; b++) {
    if (pooling === "cls") {
      pooled.set(x.subarray(b * seq * h, b * seq * h + h), b * h);
      continue;
    }
    let count = 0;
    for (let t = 0; t < seq; t++) {
      if (!inputs.attentionMask[b * seq + t]) continue;
      count++;
      for (let j = 0; j < h; j++) pooled[b * h + j] += x[(b * seq + t) * h + j];
    }
    for (let j = 0; j < h; j++) pooled[b * h + j] /= count;
  }
  const features = pooling === "cls" ? dense(pooled, batch, "bert.pooler.dense", h, h).map(Math.tanh) : pooled;
  return dense(features, batch, "classifier", h, config.labels.length);
}

function layerNorm(x: Float64Array, rows: number, width: number, weight: Float64Array, bias: Float64Array, eps: number): Float64Array {
  const out = new Float64Array(x.length);
  for (let r = 0; r < rows; r++) {
    let mean = 0;
    for (let j = 0; j < width; j++) mean += x[r * width + j];
    mean /= width;
    let variance = 0;
    for (let j = 0; j < width; j++) variance += (x[r * width + j] - mean) ** 2;
    variance /= width;
    const inv = 1 / Math.sqrt(variance + eps);
    for (let j = 0; j < width; j++) out[r * width + j] = (x[r * width + j] - mean) * inv * weight[j] + bias[j];
  }
  return out;
}

/** erf to ~1e-15 (Abramowitz–Stegun is too coarse for a float64 reference): series near 0, continued fraction beyond. */
export function erf(x: number): number {
  const sign = Math.sign(x);
  const a = Math.abs(x);
  if (a < 2.5) {
    // Maclaurin series: 2/√π Σ (−1)^n x^(2n+1) / (n! (2n+1))
    let term = a;
    let sum = a;
    for (let n = 1; n < 80; n++) {
      term *= (-a * a) / n;
      sum += term / (2 * n + 1);
      if (Math.abs(term) < 1e-17 * Math.abs(sum)) break;
    }
    return (sign * 2 * sum) / Math.sqrt(Math.PI);
  }
  // erfc continued fraction (Lentz), accurate for a ≥ 2.5
  let f = a;
  let c = a;
  let dd = 0;
  for (let n = 1; n < 200; n++) {
    const an = n / 2;
    dd = 1 / (a + an * dd);
    c = a + an / c;
    const delta = c * dd;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return sign * (1 - Math.exp(-a * a) / (f * Math.sqrt(Math.PI)));
}
