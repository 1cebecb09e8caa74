import { Rng, parseLoraConfig } from "@lora-litee/lora";
import { afterAll, describe, expect, it } from "vitest";
import { Executor } from "../executor.js";
import type { HfWeight } from "../models/hf-files.js";
import { parseLlamaConfig } from "../models/llama/config.js";
import { llamaArchitecture } from "../models/llama/architecture.js";
import { planLora } from "../models/lora-targets.js";
import { transpose2d } from "../models/transpose.js";
import { referenceForward, type ReferenceLora } from "../models/llama/reference.js";
import { llamaWeightShapes } from "../models/llama/weights.js";
import { buildStepGraph, buildUpdateGraph } from "./train-graphs.js";

const config = parseLlamaConfig({
  model_type: "llama",
  hidden_size: 16,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  num_key_value_heads: 2,
  intermediate_size: 24,
  vocab_size: 30,
  pad_token_id: 0,
  num_labels: 3,
  max_position_embeddings: 16,
});
const rng = new Rng(11);
const weights = new Map<string, HfWeight>();
for (const [name, shape] of llamaWeightShapes(config)) {
  const data = rng.fillNormal(new Float32Array(shape.reduce((a, b) => a * b, 1)), 0.3) as Float32Array;
  if (name.endsWith("norm.weight")) data.forEach((v, i) => (data[i] = 1 + v));
  weights.set(name, { shape, data });
}
const architecture = llamaArchitecture({ family: "llama", config, weights, hasHead: true, ignoredKeys: [], storedDtypes: [] });
const plan = planLora(architecture, parseLoraConfig({ r: 2, lora_alpha: 4, target_modules: ["q_proj", "k_proj", "o_proj", "up_proj"] }));
const ids = [4, 9, 13, 7, 0, 0, 5, 22, 17, 28, 3, 11];
const mask = [1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1];
const labels = [2, 0];
const executor = new Executor({ intraOpNumThreads: 1 });
afterAll(() => executor.release());

/** PEFT-layout (A [r, in], B [out, r]) values for every target, random so that no gradient vanishes. */
const peft = new Map(plan.targets.map((t) => [t.path, { a: rng.fillNormal(new Float64Array(2 * t.inFeatures), 0.3) as Float64Array, b: rng.fillNormal(new Float64Array(t.outFeatures * 2), 0.3) as Float64Array }]));

/** Mean cross-entropy of the float64 reference at the PEFT values. */
function referenceLoss(): number {
  const wide = new Map([...weights].map(([k, w]) => [k, Float64Array.from(w.data)]));
  const loras = new Map<string, ReferenceLora>([...peft].map(([path, { a, b }]) => [path, { a, b, rank: 2, scale: plan.scale }]));
  const { logits } = referenceForward(config, wide, { inputIds: Int32Array.from(ids), attentionMask: Uint8Array.from(mask), batch: 2, seq: 6 }, loras);
  let loss = 0;
  for (let r = 0; r < 2; r++) {
    const row = Array.from(logits.subarray(r * 3, r * 3 + 3));
    const max = Math.max(...row);
    loss += max + Math.log(row.reduce((s, z) => s + Math.exp(z - max), 0)) - row[labels[r]];
  }
  return loss / 2;
}

describe("buildStepGraph", () => {
  it("gives LoRA gradients equal to central differences of the float64 reference loss", async () => {
    const step = buildStepGraph(architecture, plan, 6);
    const compiled = await executor.compile(step.graph, step.trainOutputs);
    const feeds: Record<string, { data: Float32Array | BigInt64Array; shape: number[] }> = {
      input_ids: { data: BigInt64Array.from(ids, BigInt), shape: [2, 6] },
      attention_mask: { data: Float32Array.from(mask), shape: [2, 6] },
      last_positions: { data: BigInt64Array.of(3n, 5n), shape: [2] },
      labels: { data: BigInt64Array.from(labels, BigInt), shape: [2] },
    };
    for (const t of plan.targets) {
      const { a, b } = peft.get(t.path)!;
      feeds[`${t.path}.lora_A.weight`] = { data: transpose2d(Float32Array.from(a), 2, t.inFeatures), shape: [t.inFeatures, 2] };
      feeds[`${t.path}.lora_B.weight`] = { data: transpose2d(Float32Array.from(b), t.outFeatures, 2), shape: [2, t.outFeatures] };
    }
    const score = weights.get("score.weight")!;
    feeds["score.weight"] = { data: transpose2d(score.data, 3, 16), shape: [16, 3] };
    const out = await compiled.run(feeds);
    expect(Number(out.loss.data[0])).toBeCloseTo(referenceLoss(), 5);

    // a few entries of A and B of q, k (through the GQA repeat), up and a second-layer o; graph layout A [in, r], B [r, out]
    const eps = 1e-5;
    for (const t of [plan.targets[0], plan.targets[1], plan.targets[3], plan.targets[6]]) {
      const { a, b } = peft.get(t.path)!;
      for (const [factor, values, graphIndex] of [
        ["lora_A", a, (i: number) => (i % t.inFeatures) * 2 + Math.floor(i / t.inFeatures)],
        ["lora_B", b, (i: number) => (i % 2) * t.outFeatures + Math.floor(i / 2)],
      ] as const) {
        const grad = out[`grad/${t.path}.${factor}.weight`].data as Float32Array;
        for (const i of [0, 5, values.length - 1]) {
          const kept = values[i];
          values[i] = kept + eps;
          const up = referenceLoss();
          values[i] = kept - eps;
          const down = referenceLoss();
          values[i] = kept;
          const numeric = (up - down) / (2 * eps);
          expect(Math.abs(grad[graphIndex(i)] - numeric)).toBeLessThan(2e-4 + 1e-3 * Math.abs(numeric));
        }
      }
    }
  });
});

describe("buildUpdateGraph", () => {
  it("applies torch.optim.AdamW with clipping to the packed vector", async () => {
    const update = buildUpdateGraph(3, { weightDecay: 0.1, maxGradNorm: 1 });
    const compiled = await executor.compile(update.graph, update.outputs);
    const out = await compiled.run({
      params: { data: Float32Array.of(1, -2, 0.5), shape: [3] },
      grads: { data: Float32Array.of(3, 4, 0), shape: [3] },
      m: { data: new Float32Array(3), shape: [3] },
      v: { data: new Float32Array(3), shape: [3] },
      lr: { data: Float32Array.of(0.01), shape: [] },
      step: { data: Float32Array.of(1), shape: [] },
    });
    // ‖g‖ = 5 → clipped g = (0.6, 0.8, 0); step 1: m̂ = g, v̂ = g², so the update is lr·sign(g) (eps aside)
    expect(Number(out.grad_norm.data[0])).toBeCloseTo(5, 5);
    const expected = [1 * (1 - 0.001) - 0.01, -2 * (1 - 0.001) - 0.01, 0.5 * (1 - 0.001)];
    Array.from(out.new_params.data as Float32Array).forEach((p, i) => expect(p).toBeCloseTo(expected[i], 6));
    expect(Array.from(out.new_m.data as Float32Array).map((x) => Number(x.toFixed(6)))).toEqual([0.06, 0.08, 0]);
  });
});
