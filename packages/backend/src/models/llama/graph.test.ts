import { Rng, parseLoraConfig } from "@lora-litee/lora";
import { afterAll, describe, expect, it } from "vitest";
import { Executor } from "../../executor.js";
import { Graph } from "../../graph.js";
import type { HfWeight } from "../hf-files.js";
import { parseLlamaConfig, type LlamaConfig } from "./config.js";
import { buildDoraNormGraph } from "../dora-norm-graph.js";
import { transpose2d } from "../transpose.js";
import { buildLlamaClassifier } from "./graph.js";
import { referenceForward, type ReferenceLora } from "./reference.js";
import { llamaWeightShapes } from "./weights.js";
import { planLora } from "../lora-targets.js";
import { llamaArchitecture } from "./architecture.js";

function tinyConfig(overrides: Record<string, unknown> = {}): LlamaConfig {
  return parseLlamaConfig({
    model_type: "llama",
    hidden_size: 32,
    num_hidden_layers: 2,
    num_attention_heads: 4,
    num_key_value_heads: 2,
    intermediate_size: 40,
    vocab_size: 50,
    rms_norm_eps: 1e-5,
    rope_theta: 50,
    pad_token_id: 0,
    num_labels: 3,
    max_position_embeddings: 64,
    ...overrides,
  });
}

/** Larger-than-HF random weights (std 0.3, norms 1 ± 0.2) so every path moves the logits visibly. */
function randomWeights(config: LlamaConfig, seed: number): Map<string, HfWeight> {
  const rng = new Rng(seed);
  const weights = new Map<string, HfWeight>();
  for (const [name, shape] of llamaWeightShapes(config)) {
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
    rng.fillNormal(data, name.endsWith("norm.weight") ? 0.2 : 0.3);
    if (name.endsWith("norm.weight")) for (let i = 0; i < data.length; i++) data[i] += 1;
    weights.set(name, { shape, data });
  }
  return weights;
}

const executor = new Executor({ device: "cpu", intraOpNumThreads: 1 });
const webgpu = new Executor({ device: "webgpu" });
afterAll(async () => {
  await executor.release();
  await webgpu.release();
});

const batch = {
  ids: [5, 9, 17, 33, 2, 41, 7, 12, 3, 0, 0, 0, 8, 0, 0, 0, 0, 0],
  mask: [1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0],
  last: [5, 2, 0],
  rows: 3,
  seq: 6,
};

async function graphLogits(
  config: LlamaConfig,
  weights: Map<string, HfWeight>,
  feedsExtra: Record<string, Float32Array> = {},
  lora = null as ReturnType<typeof planLora> | null,
  on = executor,
) {
  const g = new Graph();
  const model = buildLlamaClassifier(g, config, weights, { lora });
  const compiled = await on.compile(g, { logits: model.logits });
  const feeds: Record<string, { data: Float32Array | BigInt64Array; shape: number[] }> = {
    input_ids: { data: BigInt64Array.from(batch.ids, BigInt), shape: [batch.rows, batch.seq] },
    attention_mask: { data: Float32Array.from(batch.mask), shape: [batch.rows, batch.seq] },
    last_positions: { data: BigInt64Array.from(batch.last, BigInt), shape: [batch.rows] },
  };
  for (const t of [...model.trainable.map((p) => p.tensor), ...model.doraNorms]) feeds[t.name] = { data: feedsExtra[t.name], shape: t.shape.map(Number) };
  const out = await compiled.run(feeds);
  return out.logits.data as Float32Array;
}

function referenceLogits(config: LlamaConfig, weights: Map<string, HfWeight>, loras?: Map<string, ReferenceLora>) {
  const wide = new Map([...weights].map(([k, w]) => [k, Float64Array.from(w.data)]));
  return referenceForward(config, wide, { inputIds: Int32Array.from(batch.ids), attentionMask: Uint8Array.from(batch.mask), batch: batch.rows, seq: batch.seq }, loras).logits;
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number) {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / (1 + Math.abs(expected[i])));
  expect(worst).toBeLessThan(tolerance);
}

describe("buildLlamaClassifier on onnxruntime cpu", () => {
  it.each([
    ["Llama with GQA", {}],
    ["plain MHA", { num_key_value_heads: 4 }],
    ["Qwen2 with q/k/v biases", { model_type: "qwen2" }],
    ["Mistral with a sliding window of 3", { model_type: "mistral", sliding_window: 3 }],
  ])("matches the float64 reference: %s", async (_name, overrides) => {
    const config = tinyConfig(overrides);
    const weights = randomWeights(config, 1);
    const expected = referenceLogits(config, weights);
    expectClose(await graphLogits(config, weights), expected, 2e-5);
    expect(Math.max(...Array.from(expected, Math.abs))).toBeGreaterThan(0.1);
  });

  it("matches the reference with LoRA on every Linear and a trained head", async () => {
    const config = tinyConfig();
    const weights = randomWeights(config, 2);
    const plan = planLora(llamaArchitecture({ family: "llama", config, weights: new Map(), hasHead: false, ignoredKeys: [], storedDtypes: [] }), parseLoraConfig({ r: 2, lora_alpha: 4, target_modules: "all-linear" }));
    const rng = new Rng(3);
    const feeds: Record<string, Float32Array> = {};
    const loras = new Map<string, ReferenceLora>();
    for (const target of plan.targets) {
      const a = rng.fillNormal(new Float32Array(2 * target.inFeatures), 0.3) as Float32Array; // PEFT [r, in]
      const b = rng.fillNormal(new Float32Array(target.outFeatures * 2), 0.3) as Float32Array; // PEFT [out, r]
      feeds[`${target.path}.lora_A.weight`] = transpose2d(a, 2, target.inFeatures);
      feeds[`${target.path}.lora_B.weight`] = transpose2d(b, target.outFeatures, 2);
      loras.set(target.path, { a: Float64Array.from(a), b: Float64Array.from(b), rank: 2, scale: plan.scale });
    }
    const score = weights.get("score.weight")!;
    feeds["score.weight"] = transpose2d(score.data, score.shape[0], score.shape[1]);
    const expected = referenceLogits(config, weights, loras);
    expectClose(await graphLogits(config, weights, feeds, plan), expected, 2e-5);
    expect(expected).not.toEqual(referenceLogits(config, weights));
  });

  it("gives the same logits on webgpu as on cpu (skipped where no WebGPU adapter exists)", async (ctx) => {
    if (!(await Executor.available("webgpu"))) ctx.skip();
    const config = tinyConfig({ num_hidden_layers: 1 });
    const weights = randomWeights(config, 4);
    expectClose(await graphLogits(config, weights, {}, null, webgpu), await graphLogits(config, weights), 1e-4);
  }, 180_000);

  it("matches the reference with DoRA: m / ‖W + s·BA‖ ⊙ (W + s·BA)x, the norm fed from its own graph", async () => {
    const config = tinyConfig({ model_type: "qwen2" });
    const weights = randomWeights(config, 5);
    const plan = planLora(llamaArchitecture({ family: "llama", config, weights: new Map(), hasHead: false, ignoredKeys: [], storedDtypes: [] }), parseLoraConfig({ r: 2, lora_alpha: 4, target_modules: ["v_proj", "o_proj", "up_proj"], use_dora: true }));
    const rng = new Rng(6);
    const feeds: Record<string, Float32Array> = {};
    const loras = new Map<string, ReferenceLora>();
    const normGraph = new Graph();
    const normOutputs = buildDoraNormGraph(normGraph, weights, plan);
    const normInputs: Record<string, { data: Float32Array; shape: number[] }> = {};
    for (const target of plan.targets) {
      const a = rng.fillNormal(new Float32Array(2 * target.inFeatures), 0.3) as Float32Array;
      const b = rng.fillNormal(new Float32Array(target.outFeatures * 2), 0.3) as Float32Array;
      const magnitude = Float32Array.from({ length: target.outFeatures }, () => 1 + rng.nextFloat());
      feeds[`${target.path}.lora_A.weight`] = transpose2d(a, 2, target.inFeatures);
      feeds[`${target.path}.lora_B.weight`] = transpose2d(b, target.outFeatures, 2);
      feeds[`${target.path}.lora_magnitude_vector`] = magnitude;
      normInputs[`${target.path}.lora_A.weight`] = { data: feeds[`${target.path}.lora_A.weight`], shape: [target.inFeatures, 2] };
      normInputs[`${target.path}.lora_B.weight`] = { data: feeds[`${target.path}.lora_B.weight`], shape: [2, target.outFeatures] };
      loras.set(target.path, { a: Float64Array.from(a), b: Float64Array.from(b), rank: 2, scale: plan.scale, magnitude: Float64Array.from(magnitude) });
    }
    const norms = await (await executor.compile(normGraph, normOutputs)).run(normInputs);
    for (const [name, value] of Object.entries(norms)) feeds[name] = value.data as Float32Array;
    const score = weights.get("score.weight")!;
    feeds["score.weight"] = transpose2d(score.data, score.shape[0], score.shape[1]);
    const expected = referenceLogits(config, weights, loras);
    expectClose(await graphLogits(config, weights, feeds, plan), expected, 2e-5);
    const plain = new Map([...loras].map(([k, l]) => [k, { ...l, magnitude: undefined }]));
    expect(expected).not.toEqual(referenceLogits(config, weights, plain));
  });
});
