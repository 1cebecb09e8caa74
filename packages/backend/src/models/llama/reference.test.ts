import { describe, expect, it } from "vitest";
import { parseLlamaConfig, type LlamaConfig } from "./config.js";
import { lastNonPadPositions, referenceForward, rotaryTables, type ReferenceLora } from "./reference.js";
import { llamaWeightShapes } from "./weights.js";

/** Small seeded generator (mulberry32) so the tests need nothing else. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
}

function tinyConfig(overrides: Record<string, unknown> = {}): LlamaConfig {
  return parseLlamaConfig({
    model_type: "llama",
    hidden_size: 16,
    num_hidden_layers: 2,
    num_attention_heads: 4,
    num_key_value_heads: 2,
    intermediate_size: 24,
    vocab_size: 20,
    rms_norm_eps: 1e-5,
    rope_theta: 100,
    pad_token_id: 0,
    num_labels: 3,
    ...overrides,
  });
}

function randomWeights(config: LlamaConfig, seed: number): Map<string, Float64Array> {
  const next = random(seed);
  const weights = new Map<string, Float64Array>();
  for (const [name, shape] of llamaWeightShapes(config)) {
    const values = new Float64Array(shape.reduce((a, b) => a * b, 1));
    const isNorm = name.endsWith("norm.weight");
    for (let i = 0; i < values.length; i++) values[i] = isNorm ? 1 + 0.2 * next() : 0.8 * next();
    weights.set(name, values);
  }
  return weights;
}

const ids = (...values: number[]) => Int32Array.from(values);

describe("referenceForward", () => {
  it("matches a hand computation when attention and MLP add nothing", () => {
    // One layer with o_proj and down_proj zero: the residual stays the embedding, so the logits are
    // score · RMSNorm(embedding) · norm weight at the pooled token.
    const config = tinyConfig({ hidden_size: 4, num_hidden_layers: 1, num_attention_heads: 2, num_key_value_heads: 1, intermediate_size: 3, vocab_size: 4, num_labels: 2 });
    const weights = randomWeights(config, 1);
    weights.get("model.layers.0.self_attn.o_proj.weight")!.fill(0);
    weights.get("model.layers.0.mlp.down_proj.weight")!.fill(0);
    weights.get("model.embed_tokens.weight")!.set([1, 2, 3, 4], 3 * 4);
    weights.set("model.norm.weight", Float64Array.from([1, 1, 2, 2]));
    weights.set("score.weight", Float64Array.from([1, 0, 0, 0, 0, 0, 0, 1]));
    const { logits, pooledPositions } = referenceForward(config, weights, { inputIds: ids(3, 3, 0), batch: 1, seq: 3 });
    const rms = Math.sqrt((1 + 4 + 9 + 16) / 4 + 1e-5);
    expect(pooledPositions).toEqual(ids(1));
    expect(logits[0]).toBeCloseTo(1 / rms, 12);
    expect(logits[1]).toBeCloseTo((4 * 2) / rms, 12);
  });

  it("builds RoPE tables from θ^(−2i/d), identity at position 0", () => {
    const { cos, sin } = rotaryTables(3, 4, 100);
    expect(Array.from(cos.subarray(0, 2))).toEqual([1, 1]);
    expect(Array.from(sin.subarray(0, 2))).toEqual([0, 0]);
    expect(cos[2 * 2 + 0]).toBeCloseTo(Math.cos(2), 14);
    expect(sin[2 * 2 + 1]).toBeCloseTo(Math.sin(2 * 0.1), 14);
  });

  it("rotates by position only: a single token ignores rope_theta, two tokens do not", () => {
    const a = tinyConfig({ rope_theta: 100 });
    const b = tinyConfig({ rope_theta: 5 });
    const weights = randomWeights(a, 2);
    const one = { inputIds: ids(5), batch: 1, seq: 1 };
    expect(referenceForward(a, weights, one).logits).toEqual(referenceForward(b, weights, one).logits);
    const two = { inputIds: ids(5, 6), batch: 1, seq: 2 };
    expect(referenceForward(a, weights, two).logits).not.toEqual(referenceForward(b, weights, two).logits);
  });

  it("equals plain multi-head attention when each KV head is repeated for its query group", () => {
    const gqa = tinyConfig();
    const mha = tinyConfig({ num_key_value_heads: 4 });
    const weights = randomWeights(gqa, 3);
    const expanded = new Map(weights);
    const d = gqa.headDim;
    for (let layer = 0; layer < gqa.numHiddenLayers; layer++) {
      for (const name of ["k_proj", "v_proj"]) {
        const key = `model.layers.${layer}.self_attn.${name}.weight`;
        const w = weights.get(key)!;
        const rows = new Float64Array(4 * d * gqa.hiddenSize);
        // query head h reads kv head ⌊h / 2⌋ (HF repeat_kv)
        for (let head = 0; head < 4; head++) {
          const source = Math.floor(head / 2);
          rows.set(w.subarray(source * d * gqa.hiddenSize, (source + 1) * d * gqa.hiddenSize), head * d * gqa.hiddenSize);
        }
        expanded.set(key, rows);
      }
    }
    const inputs = { inputIds: ids(3, 7, 9, 11, 4), batch: 1, seq: 5 };
    const grouped = referenceForward(gqa, weights, inputs).allLogits;
    const plain = referenceForward(mha, expanded, inputs).allLogits;
    for (let i = 0; i < grouped.length; i++) expect(grouped[i]).toBeCloseTo(plain[i], 12);
  });

  it("pools the last non-pad token and leaves an unpadded row's logits alone when batched with padding", () => {
    const config = tinyConfig();
    const weights = randomWeights(config, 4);
    const alone = referenceForward(config, weights, { inputIds: ids(5, 6, 7), batch: 1, seq: 3 });
    const batched = referenceForward(config, weights, {
      inputIds: ids(9, 8, 7, 6, 5, 5, 6, 7, 0, 0),
      attentionMask: Uint8Array.from([1, 1, 1, 1, 1, 1, 1, 1, 0, 0]),
      batch: 2,
      seq: 5,
    });
    expect(batched.pooledPositions).toEqual(ids(4, 2));
    for (let c = 0; c < 3; c++) expect(batched.logits[3 + c]).toBeCloseTo(alone.logits[c], 12);
  });

  it("is causal: later tokens do not change earlier positions", () => {
    const config = tinyConfig();
    const weights = randomWeights(config, 5);
    const a = referenceForward(config, weights, { inputIds: ids(3, 4, 5, 6), batch: 1, seq: 4 }).allLogits;
    const b = referenceForward(config, weights, { inputIds: ids(3, 4, 9, 1), batch: 1, seq: 4 }).allLogits;
    expect(Array.from(a.subarray(0, 6))).toEqual(Array.from(b.subarray(0, 6)));
    expect(Array.from(a.subarray(6))).not.toEqual(Array.from(b.subarray(6)));
  });

  it("treats a sliding window no shorter than the sequence as full attention, and a short one differently", () => {
    const full = tinyConfig({ model_type: "mistral", sliding_window: null });
    const weights = randomWeights(full, 6);
    const inputs = { inputIds: ids(3, 4, 5, 6, 7), batch: 1, seq: 5 };
    const base = referenceForward(full, weights, inputs).logits;
    expect(referenceForward(tinyConfig({ model_type: "mistral", sliding_window: 5 }), weights, inputs).logits).toEqual(base);
    expect(referenceForward(tinyConfig({ model_type: "mistral", sliding_window: 2 }), weights, inputs).logits).not.toEqual(base);
  });

  it("uses q/k/v biases for Qwen2", () => {
    const config = tinyConfig({ model_type: "qwen2" });
    const weights = randomWeights(config, 7);
    const inputs = { inputIds: ids(3, 4, 5), batch: 1, seq: 3 };
    const before = referenceForward(config, weights, inputs).logits;
    weights.get("model.layers.0.self_attn.v_proj.bias")!.fill(0.3);
    expect(referenceForward(config, weights, inputs).logits).not.toEqual(before);
  });

  describe("LoRA", () => {
    const config = tinyConfig();
    const module = "model.layers.1.self_attn.q_proj";
    const [out, inDim] = [config.numAttentionHeads * config.headDim, config.hiddenSize];
    const rank = 2;
    const next = random(8);
    const lora: ReferenceLora = {
      a: Float64Array.from({ length: rank * inDim }, next),
      b: Float64Array.from({ length: out * rank }, next),
      rank,
      scale: 1.5,
    };
    const inputs = { inputIds: ids(3, 4, 5, 6), batch: 1, seq: 4 };

    it("is a no-op with B = 0 (PEFT's initialisation)", () => {
      const weights = randomWeights(config, 9);
      const base = referenceForward(config, weights, inputs).logits;
      const zeroB = { ...lora, b: new Float64Array(out * rank) };
      expect(referenceForward(config, weights, inputs, new Map([[module, zeroB]])).logits).toEqual(base);
    });

    it("equals the merged weight W + s·BA", () => {
      const weights = randomWeights(config, 9);
      const adapted = referenceForward(config, weights, inputs, new Map([[module, lora]])).logits;
      const merged = new Map(weights);
      const w = Float64Array.from(weights.get(`${module}.weight`)!);
      for (let o = 0; o < out; o++)
        for (let i = 0; i < inDim; i++)
          for (let r = 0; r < rank; r++) w[o * inDim + i] += 1.5 * lora.b[o * rank + r] * lora.a[r * inDim + i];
      merged.set(`${module}.weight`, w);
      const expected = referenceForward(config, merged, inputs).logits;
      for (let c = 0; c < 3; c++) expect(adapted[c]).toBeCloseTo(expected[c], 12);
      expect(adapted).not.toEqual(referenceForward(config, weights, inputs).logits);
    });

    it("reduces DoRA to LoRA when the magnitude equals the adapted rows' norms", () => {
      const weights = randomWeights(config, 9);
      const w = weights.get(`${module}.weight`)!;
      const magnitude = new Float64Array(out);
      for (let o = 0; o < out; o++) {
        let sum = 0;
        for (let i = 0; i < inDim; i++) {
          let delta = 0;
          for (let r = 0; r < rank; r++) delta += lora.b[o * rank + r] * lora.a[r * inDim + i];
          sum += (w[o * inDim + i] + 1.5 * delta) ** 2;
        }
        magnitude[o] = Math.sqrt(sum);
      }
      const plain = referenceForward(config, weights, inputs, new Map([[module, lora]])).logits;
      const dora = referenceForward(config, weights, inputs, new Map([[module, { ...lora, magnitude }]])).logits;
      for (let c = 0; c < 3; c++) expect(dora[c]).toBeCloseTo(plain[c], 12);
      const doubled = referenceForward(config, weights, inputs, new Map([[module, { ...lora, magnitude: magnitude.map((m) => 2 * m) }]])).logits;
      expect(doubled).not.toEqual(plain);
    });
  });
});

describe("lastNonPadPositions", () => {
  it("follows HF: rightmost non-pad, 0 for an all-pad row, last position without a pad id for batch 1", () => {
    expect(lastNonPadPositions(ids(4, 0, 5, 0, 0, 0, 0, 0), 2, 4, 0)).toEqual(ids(2, 0));
    expect(lastNonPadPositions(ids(4, 0, 5), 1, 3, null)).toEqual(ids(2));
    expect(() => lastNonPadPositions(ids(4, 0, 5, 6), 2, 2, null)).toThrow(/pad_token_id/);
  });
});
