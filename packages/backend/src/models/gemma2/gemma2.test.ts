import { Rng } from "@lora-litee/lora";
import { afterAll, describe, expect, it } from "vitest";
import { Executor } from "../../executor.js";
import { Graph } from "../../graph.js";
import type { HfWeight } from "../hf-files.js";
import { ModelConfigError } from "../llama/config.js";
import { gemma2WeightShapes, parseGemma2Config, type Gemma2Config } from "./config.js";
import { buildGemma2Classifier } from "./graph.js";
import { gemma2ReferenceForward, type Gemma2ReferenceInputs } from "./reference.js";

function tinyConfig(overrides: Record<string, unknown> = {}): Gemma2Config {
  return parseGemma2Config({
    model_type: "gemma2",
    vocab_size: 40,
    hidden_size: 32,
    num_hidden_layers: 3,
    num_attention_heads: 4,
    num_key_value_heads: 2,
    head_dim: 16,
    intermediate_size: 40,
    max_position_embeddings: 32,
    query_pre_attn_scalar: 10,
    attn_logit_softcapping: 3,
    final_logit_softcapping: 2,
    sliding_window: 3,
    rope_theta: 100,
    num_labels: 3,
    ...overrides,
  });
}

/** Large random weights (std 0.3; norm weights ±0.3 around Gemma's zero) so caps and windows bite. */
function randomWeights(config: Gemma2Config, seed: number): Map<string, HfWeight> {
  const rng = new Rng(seed);
  const weights = new Map<string, HfWeight>();
  for (const [name, shape] of gemma2WeightShapes(config)) {
    const data = rng.fillNormal(new Float32Array(shape.reduce((a, b) => a * b, 1)), 0.3);
    weights.set(name, { shape, data });
  }
  return weights;
}

const as64 = (weights: Map<string, HfWeight>) => new Map([...weights].map(([k, w]) => [k, Float64Array.from(w.data)]));

function inputs(): Gemma2ReferenceInputs {
  return {
    batch: 2,
    seq: 7,
    inputIds: Int32Array.from([5, 9, 13, 2, 30, 7, 21, 4, 8, 15, 16, 0, 0, 0]),
    attentionMask: Uint8Array.from([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0]),
    pooled: Int32Array.from([6, 3]),
  };
}

const executor = new Executor({ device: "cpu", intraOpNumThreads: 1 });
afterAll(() => executor.release());

async function graphLogits(config: Gemma2Config, weights: Map<string, HfWeight>, x: Gemma2ReferenceInputs, finalSoftcap: boolean): Promise<Float32Array> {
  const g = new Graph();
  const model = buildGemma2Classifier(g, config, weights, { maxSeq: 16, finalSoftcap });
  const compiled = await executor.compile(g, { logits: model.logits });
  const result = await compiled.run({
    input_ids: { data: BigInt64Array.from(Array.from(x.inputIds, BigInt)), shape: [x.batch, x.seq] },
    attention_mask: { data: Float32Array.from(x.attentionMask), shape: [x.batch, x.seq] },
    last_positions: { data: BigInt64Array.from(Array.from(x.pooled, BigInt)), shape: [x.batch] },
  });
  return result.logits.data as Float32Array;
}

describe("Gemma-2 config", () => {
  it("fills Gemma2Config's defaults (gemma-2-2b) and alternates sliding and global layers", () => {
    const config = parseGemma2Config({ model_type: "gemma2" });
    expect(config).toMatchObject({ hiddenSize: 2304, numHiddenLayers: 26, headDim: 256, queryPreAttnScalar: 256, attnLogitSoftcapping: 50, finalLogitSoftcapping: 30, slidingWindow: 4096 });
    expect(config.slidingLayers.slice(0, 4)).toEqual([true, false, true, false]);
    // gemma-2-2b: 2,614,341,888 parameters with its tied LM head; a 3-class score head instead
    const total = [...gemma2WeightShapes({ ...config, labels: ["a", "b", "c"] }).values()].reduce((s, shape) => s + shape.reduce((a, b) => a * b, 1), 0);
    expect(total).toBe(2_614_341_888 + 3 * 2304);
  });

  it("reads layer_types and null caps, and names bad fields", () => {
    const config = tinyConfig({ layer_types: ["full_attention", "sliding_attention", "full_attention"], attn_logit_softcapping: null });
    expect(config.slidingLayers).toEqual([false, true, false]);
    expect(config.attnLogitSoftcapping).toBeNull();
    expect(() => tinyConfig({ layer_types: ["full_attention"] })).toThrow(ModelConfigError);
    expect(() => tinyConfig({ hidden_activation: "gelu" })).toThrow('field "hidden_activation"');
    expect(() => tinyConfig({ head_dim: 15 })).toThrow('field "head_dim" must be even');
  });
});

describe("gemma2ReferenceForward", () => {
  it("keeps tokens beyond a sliding layer's window out of the pooled position", () => {
    // one sliding layer: position 6 with window 3 reads keys 4..6 only, so tokens 0..3 cannot reach it
    const config = tinyConfig({ num_hidden_layers: 1 });
    const weights = as64(randomWeights(config, 1));
    const x = { ...inputs(), batch: 1, inputIds: inputs().inputIds.slice(0, 7), attentionMask: new Uint8Array(7).fill(1), pooled: Int32Array.from([6]) };
    const changedFar = { ...x, inputIds: Int32Array.from([1, 1, 1, 1, 30, 7, 21]) };
    const changedNear = { ...x, inputIds: Int32Array.from([5, 9, 13, 2, 1, 7, 21]) };
    const base = gemma2ReferenceForward(config, weights, x);
    const far = gemma2ReferenceForward(config, weights, changedFar);
    const near = gemma2ReferenceForward(config, weights, changedNear);
    for (let i = 0; i < 3; i++) expect(far[i]).toBeCloseTo(base[i], 12);
    expect(Math.max(...base.map((v, i) => Math.abs(v - near[i])))).toBeGreaterThan(1e-3);
    // the same layer attending globally does see them
    const global = tinyConfig({ num_hidden_layers: 1, layer_types: ["full_attention"] });
    const a = gemma2ReferenceForward(global, weights, x);
    const b = gemma2ReferenceForward(global, weights, changedFar);
    expect(Math.max(...a.map((v, i) => Math.abs(v - b[i])))).toBeGreaterThan(1e-3);
  });

  it("soft-caps: logits stay inside ±final_logit_softcapping and match cap·tanh(z/cap)", () => {
    const config = tinyConfig();
    const weights = as64(randomWeights(config, 2));
    const raw = gemma2ReferenceForward(config, weights, inputs());
    const capped = gemma2ReferenceForward(config, weights, inputs(), true);
    expect(Math.max(...raw.map(Math.abs))).toBeGreaterThan(2);
    raw.forEach((z, i) => expect(capped[i]).toBeCloseTo(2 * Math.tanh(z / 2), 12));
  });
});

describe("buildGemma2Classifier", () => {
  it.each([false, true])("matches the float64 reference (final soft-cap %s)", async (finalSoftcap) => {
    const config = tinyConfig();
    const weights = randomWeights(config, 3);
    const ours = await graphLogits(config, weights, inputs(), finalSoftcap);
    const ref = gemma2ReferenceForward(config, as64(weights), inputs(), finalSoftcap);
    for (let i = 0; i < ref.length; i++) expect(ours[i]).toBeCloseTo(ref[i], 4);
  });

  it("matches without attention soft-capping and with every layer global", async () => {
    const config = tinyConfig({ attn_logit_softcapping: null, layer_types: ["full_attention", "full_attention", "full_attention"] });
    const weights = randomWeights(config, 4);
    const ours = await graphLogits(config, weights, inputs(), false);
    const ref = gemma2ReferenceForward(config, as64(weights), inputs());
    for (let i = 0; i < ref.length; i++) expect(ours[i]).toBeCloseTo(ref[i], 4);
  });
});
