import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { AutoModelForSequenceClassification, AutoTokenizer, env, pipeline } from "@huggingface/transformers";
import { Rng, parseLoraConfig, type LoraAdapter, type LoraLayerWeights } from "@lora-litee/lora";
import { saveAdapter } from "@lora-litee/lora/node";
import * as ort from "onnxruntime-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HfWeight } from "../models/hf-files.js";
import { loadBertModel, writeBertFixture } from "../models/bert/model.js";
import { bertReferenceForward } from "../models/bert/reference.js";
import { loadGemma2Model, writeGemma2Fixture } from "../models/gemma2/model.js";
import { gemma2ReferenceForward } from "../models/gemma2/reference.js";
import { mergeAdapterByPath } from "./merge-adapter.js";
import { EXPORTED_MODEL_FILE, exportOnnx } from "./merged-onnx.js";

const shared = fileURLToPath(new URL("../../../../../shared/tokenizers/", import.meta.url));
let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "family-export-"));
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** A PEFT adapter with random factors on `paths` (each `[out, in]`) and the given head tensors. */
function randomAdapter(rng: Rng, paths: Record<string, [number, number]>, head: Record<string, number[]>): LoraAdapter {
  const rank = 4;
  const layers = new Map<string, LoraLayerWeights>();
  for (const [path, [out, inF]] of Object.entries(paths)) {
    layers.set(path, { inFeatures: inF, outFeatures: out, r: rank, A: rng.fillNormal(new Float32Array(rank * inF), 0.3), B: rng.fillNormal(new Float32Array(out * rank), 0.3), magnitude: null });
  }
  const modulesToSave = new Map(Object.entries(head).map(([key, shape]) => [key, { dtype: "F32" as const, shape, data: rng.fillNormal(new Float32Array(shape.reduce((a, b) => a * b, 1)), 0.5) }]));
  const saved = [...new Set(Object.keys(head).map((k) => k.split(".")[0]))];
  return { config: parseLoraConfig({ r: rank, lora_alpha: 8, target_modules: Object.keys(paths), task_type: "SEQ_CLS", modules_to_save: saved }), layers, modulesToSave };
}

const as64 = (weights: ReadonlyMap<string, HfWeight>) => new Map([...weights].map(([k, w]) => [k, Float64Array.from(w.data)]));

describe("exportOnnx for BERT", () => {
  it("writes a folder transformers.js loads with AutoModelForSequenceClassification and pipeline, matching the float64 reference", async () => {
    const modelDir = join(root, "bert");
    await writeBertFixture(modelDir, { tokenizerDir: join(shared, "bert-minilm"), hidden: 32, layers: 2, heads: 4, intermediate: 48, maxPositions: 64, seed: 4 });
    const adapter = randomAdapter(new Rng(5), { "bert.encoder.layer.0.attention.self.query": [32, 32], "bert.encoder.layer.1.attention.self.value": [32, 32] }, { "classifier.weight": [3, 32], "classifier.bias": [3] });
    await saveAdapter(join(root, "bert-adapter"), adapter);
    await exportOnnx(modelDir, join(root, "bert-adapter"), join(root, "bert-export"));

    env.allowRemoteModels = false;
    env.localModelPath = root;
    const tokenizer = await AutoTokenizer.from_pretrained("bert-export");
    const classifier = await AutoModelForSequenceClassification.from_pretrained("bert-export", { dtype: "fp32" });
    const texts = ["Response A answers the question.", "B is longer, but says less than A does here."];
    const inputs = tokenizer(texts, { padding: true });
    const { logits } = await classifier(inputs);
    const [batch, seq] = inputs.input_ids.dims as number[];

    const model = await loadBertModel(modelDir);
    const merged = mergeAdapterByPath(model.weights, adapter);
    const ids = Int32Array.from(inputs.input_ids.data as BigInt64Array, Number);
    const ref = bertReferenceForward(model.config, as64(merged), {
      batch,
      seq,
      inputIds: ids,
      tokenTypeIds: Int32Array.from(inputs.token_type_ids!.data as BigInt64Array, Number),
      attentionMask: Uint8Array.from(inputs.attention_mask.data as BigInt64Array, Number),
    });
    const got = logits.data as Float32Array;
    for (let i = 0; i < ref.length; i++) expect(got[i]).toBeCloseTo(ref[i], 4);
    expect(Math.abs(ref[0] - ref[3])).toBeGreaterThan(1e-3);

    const classify = await pipeline("text-classification", "bert-export", { dtype: "fp32" });
    const [top] = (await classify(texts[0])) as { label: string; score: number }[];
    const best = [0, 1, 2].reduce((a, c) => (ref[c] > ref[a] ? c : a), 0);
    expect(top.label).toBe(["winner_model_a", "winner_model_b", "winner_tie"][best]);
    await classifier.dispose();
  });
});

describe("exportOnnx for Gemma-2", () => {
  it("writes a merged graph plain onnxruntime runs as the float64 reference does", async () => {
    const modelDir = join(root, "gemma");
    await writeGemma2Fixture(modelDir, { tokenizerDir: join(shared, "llama"), hidden: 32, layers: 2, heads: 4, kvHeads: 2, headDim: 8, intermediate: 48, slidingWindow: 3, seed: 6, normNoise: 0.3 });
    const adapter = randomAdapter(new Rng(7), { "model.layers.0.self_attn.q_proj": [32, 32], "model.layers.1.mlp.down_proj": [32, 48] }, { "score.weight": [3, 32] });
    await saveAdapter(join(root, "gemma-adapter"), adapter);
    const out = join(root, "gemma-export");
    await exportOnnx(modelDir, join(root, "gemma-adapter"), out);
    expect(JSON.parse(await readFile(join(out, "config.json"), "utf8")).architectures).toEqual(["Gemma2ForSequenceClassification"]);

    // two rows, the second right-padded: pooled at its last real token
    const seq = 7;
    const ids = [2, 450, 4996, 17354, 1701, 432, 975, 2, 306, 1016, 29889, 0, 0, 0];
    const mask = ids.map((_, i) => (i < 11 ? 1 : 0));
    const session = await ort.InferenceSession.create(join(out, EXPORTED_MODEL_FILE));
    const result = await session.run({
      input_ids: new ort.Tensor("int64", BigInt64Array.from(ids.map(BigInt)), [2, seq]),
      attention_mask: new ort.Tensor("int64", BigInt64Array.from(mask.map(BigInt)), [2, seq]),
    });
    await session.release();
    const model = await loadGemma2Model(modelDir);
    const ref = gemma2ReferenceForward(model.config, as64(mergeAdapterByPath(model.weights, adapter)), {
      batch: 2,
      seq,
      inputIds: Int32Array.from(ids),
      attentionMask: Uint8Array.from(mask),
      pooled: Int32Array.from([6, 3]),
    });
    const got = result.logits.data as Float32Array;
    for (let i = 0; i < ref.length; i++) expect(got[i]).toBeCloseTo(ref[i], 4);
  });
});
