import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Rng, parseLoraConfig, type LoraAdapter } from "@lora-litee/lora";
import { saveAdapter } from "@lora-litee/lora/node";
import * as ort from "onnxruntime-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeFixture } from "../models/fixture.js";
import { loadHfModel, type HfModel } from "../models/hf-model.js";
import { architectureOf } from "../models/architecture-of.js";
import { planLora } from "../models/lora-targets.js";
import type { EncodedExamples } from "../train/examples.js";
import { AdapterMismatchError, initialParameters, toAdapter } from "../train/lora-parameters.js";
import { predictProbabilities } from "../train/predict.js";
import { EXPORTED_MODEL_FILE, ExportOptionError, exportOnnx } from "./merged-onnx.js";

const tokenizerDir = fileURLToPath(new URL("../../../../../shared/tokenizers/llama/", import.meta.url));

let root: string;
let model: HfModel;
let adapter: LoraAdapter;
const lengths = [7, 12, 3, 12, 9];

/** An adapter whose every factor is random (a fresh one has B = 0 and would merge to nothing). */
function randomAdapter(rank: number, dora: boolean): LoraAdapter {
  const lora = parseLoraConfig({ r: rank, lora_alpha: 2 * rank, target_modules: "all-linear", task_type: "SEQ_CLS", use_dora: dora });
  const plan = planLora(architectureOf(model), lora);
  const rng = new Rng(11);
  const params = initialParameters(plan, lora, model.weights, rng);
  for (const [key, value] of params) {
    if (key.endsWith("lora_B.weight")) rng.fillNormal(value, 0.05);
    if (key.endsWith("lora_magnitude_vector")) for (let i = 0; i < value.length; i++) value[i] *= 1 + 0.2 * rng.nextNormal();
  }
  return toAdapter(plan, lora, params);
}

function examples(): EncodedExamples {
  const rng = new Rng(4);
  const sequences = lengths.map((n) => Int32Array.from({ length: n }, () => 3 + Math.floor(rng.nextFloat() * 30000)));
  const count = lengths.length;
  return {
    sequences,
    labels: new Int32Array(count),
    lengths: Int32Array.from(lengths),
    sourceRows: Int32Array.from({ length: count }, (_, i) => i),
    swapped: new Uint8Array(count),
    truncatedTokens: 0,
    truncatedExamples: 0,
  };
}

/** Runs the exported file with onnxruntime-node alone: right-padded int64 ids and mask in, logits out. */
async function plainOrtProbabilities(file: string, data: EncodedExamples, padId: number): Promise<Float64Array> {
  const session = await ort.InferenceSession.create(file);
  const batch = data.sequences.length;
  const seq = Math.max(...data.lengths);
  const ids = new BigInt64Array(batch * seq).fill(BigInt(padId));
  const mask = new BigInt64Array(batch * seq);
  data.sequences.forEach((row, b) => row.forEach((id, t) => ((ids[b * seq + t] = BigInt(id)), (mask[b * seq + t] = 1n))));
  const result = await session.run({ input_ids: new ort.Tensor("int64", ids, [batch, seq]), attention_mask: new ort.Tensor("int64", mask, [batch, seq]) });
  expect([...session.inputNames].sort()).toEqual(["attention_mask", "input_ids"]);
  expect(session.outputNames).toEqual(["logits"]);
  await session.release();
  expect(result.logits.dims).toEqual([batch, 3]);
  const logits = result.logits.data as Float32Array;
  const out = new Float64Array(logits.length);
  for (let b = 0; b < batch; b++) {
    const row = Array.from(logits.subarray(b * 3, b * 3 + 3));
    const max = Math.max(...row);
    const sum = row.reduce((s, x) => s + Math.exp(x - max), 0);
    row.forEach((x, c) => (out[b * 3 + c] = Math.exp(x - max) / sum));
  }
  return out;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "export-"));
  await writeFixture(join(root, "model"), { tokenizerDir, hidden: 32, layers: 2, heads: 4, kvHeads: 2, intermediate: 48, seed: 2, normNoise: 0.1 });
  model = await loadHfModel(join(root, "model"));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe("exportOnnx", () => {
  it.each([
    ["LoRA", false],
    ["DoRA", true],
  ])("writes a merged %s graph that plain onnxruntime runs with our predictor's results", async (_, dora) => {
    adapter = randomAdapter(4, dora);
    const adapterDir = join(root, `adapter-${dora}`);
    const out = join(root, `export-${dora}`);
    await saveAdapter(adapterDir, adapter);
    const result = await exportOnnx(join(root, "model"), adapterDir, out, { merge: true });
    expect(result.mergedLayers).toBe(2 * 7);
    expect((await readdir(out)).sort()).toEqual(["config.json", "onnx", "special_tokens_map.json", "tokenizer.json", "tokenizer_config.json"]);

    const data = examples();
    const ours = await predictProbabilities(model, adapter, data, { batchSize: 2 });
    const plain = await plainOrtProbabilities(join(out, EXPORTED_MODEL_FILE), data, model.config.padTokenId!);
    for (let i = 0; i < ours.length; i++) expect(plain[i]).toBeCloseTo(ours[i], 5);

    // the adapter changed the predictions, so the comparison above saw the merged weights
    const base = await predictProbabilities(model, randomAdapterWithZeroB(), data);
    expect(Math.max(...ours.map((p, i) => Math.abs(p - base[i])))).toBeGreaterThan(1e-3);
  });

  it("moves the weights to onnx/model.onnx_data on request, and the file still loads", async () => {
    adapter = randomAdapter(2, false);
    await saveAdapter(join(root, "adapter-ext"), adapter);
    const out = join(root, "export-ext");
    const result = await exportOnnx(join(root, "model"), join(root, "adapter-ext"), out, { externalData: true });
    expect(result.files).toContain("onnx/model.onnx_data");
    const data = examples();
    const ours = await predictProbabilities(model, adapter, data);
    const plain = await plainOrtProbabilities(join(out, EXPORTED_MODEL_FILE), data, model.config.padTokenId!);
    for (let i = 0; i < ours.length; i++) expect(plain[i]).toBeCloseTo(ours[i], 5);
  });

  it("writes an int8 export whose predictions stay close to the float32 ones", async () => {
    adapter = randomAdapter(4, false);
    await saveAdapter(join(root, "adapter-int8"), adapter);
    const out = join(root, "export-int8");
    const result = await exportOnnx(join(root, "model"), join(root, "adapter-int8"), out, { quantize: "int8" });
    // per layer q, o (32×32), gate, up, down (32×48); k and v (32×16) and the 32×3 head are below 1024 values and stay float
    expect(result.quantizedMatMuls).toBe(2 * 5);
    await exportOnnx(join(root, "model"), join(root, "adapter-int8"), join(root, "export-float"));
    const floatSize = (await stat(join(root, "export-float", EXPORTED_MODEL_FILE))).size;
    expect((await stat(join(out, EXPORTED_MODEL_FILE))).size).toBeLessThan(floatSize);
    const data = examples();
    const ours = await predictProbabilities(model, adapter, data);
    const plain = await plainOrtProbabilities(join(out, EXPORTED_MODEL_FILE), data, model.config.padTokenId!);
    const errors = Array.from(ours, (p, i) => Math.abs(plain[i] - p));
    // uint8 activations (one scale per tensor) and int8 weights on a 32-wide toy model: a few tenths of a percentage
    // point on average; a wrong scale or layout moves probabilities by tens of points
    expect(Math.max(...errors)).toBeLessThan(0.03);
    expect(errors.reduce((a, b) => a + b) / errors.length).toBeLessThan(0.006);
    await expect(exportOnnx(join(root, "model"), join(root, "adapter-int8"), out, { quantize: "int8", externalData: true })).rejects.toThrow(ExportOptionError);
  });

  it("names the adapter folder and the module when an adapter does not fit the model", async () => {
    const fitting = randomAdapter(2, false);
    const dir = join(root, "adapter-missing-layer");
    const layers = new Map(fitting.layers);
    layers.delete("model.layers.0.self_attn.k_proj");
    await saveAdapter(dir, { ...fitting, layers });
    await expect(exportOnnx(join(root, "model"), dir, join(root, "x"))).rejects.toThrow(
      new AdapterMismatchError(`${dir}: adapter has no LoRA tensors for model.layers.0.self_attn.k_proj`),
    );
  });

  it("refuses an unmerged export", async () => {
    await expect(exportOnnx(join(root, "model"), join(root, "adapter-ext"), join(root, "x"), { merge: false })).rejects.toThrow(ExportOptionError);
  });
});

/** The same head as `adapter` with a zero LoRA update: the base model's predictions. */
function randomAdapterWithZeroB(): LoraAdapter {
  const layers = new Map([...adapter.layers].map(([path, layer]) => [path, { ...layer, B: new Float32Array(layer.B.length) }]));
  return { ...adapter, layers };
}
