import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createTokenizer, loadArena } from "@lora-litee/data";
import { Rng, decodeAdapter, parseLoraConfig, type LoraConfig } from "@lora-litee/lora";
import * as ort from "onnxruntime-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { plantedCsv } from "../../test/planted-arena.js";
import { Executor } from "../executor.js";
import { Graph } from "../graph.js";
import { EXPORTED_MODEL_FILE, exportOnnx } from "../export/merged-onnx.js";
import { architectureOf } from "../models/architecture-of.js";
import { writeBertFixture } from "../models/bert/model.js";
import { ModelConfigError } from "../models/config-error.js";
import { bertReferenceForward } from "../models/bert/reference.js";
import { writeGemma2Fixture } from "../models/gemma2/model.js";
import { gemma2ReferenceForward } from "../models/gemma2/reference.js";
import { loadHfModel, type HfModel } from "../models/hf-model.js";
import { planLora } from "../models/lora-targets.js";
import { padBatch } from "./batching.js";
import { labelFeeds } from "./batch-feeds.js";
import { encodeExamples, type EncodedExamples } from "./examples.js";
import { initialParameters, toAdapter } from "./lora-parameters.js";
import { parameterFeeds, predictProbabilities } from "./predict.js";
import { buildStepGraph } from "./train-graphs.js";
import { trainLora } from "./trainer.js";

/**
 * LoRA training beyond the Llama family: Gemma-2 (the paper's main member) and BERT encoders train through the same
 * trainer, their LoRA gradients match central differences of the float64 references, and the trained adapter's
 * merged export gives plain onnxruntime the predictor's probabilities.
 */

const shared = fileURLToPath(new URL("../../../../../shared/tokenizers/", import.meta.url));
let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "family-training-"));
});
afterAll(() => rm(root, { recursive: true, force: true }));

interface Family {
  readonly name: string;
  readonly write: (dir: string) => Promise<unknown>;
  /** Float64 logits of `weights` on a right-padded batch. */
  readonly reference: (model: HfModel, weights: Map<string, Float64Array>, ids: Int32Array, mask: Uint8Array, lengths: readonly number[], batch: number, seq: number) => Float64Array;
  readonly headKeys: readonly string[];
}

const families: Family[] = [
  {
    name: "gemma2",
    write: (dir) => writeGemma2Fixture(dir, { tokenizerDir: join(shared, "llama"), hidden: 32, layers: 2, heads: 4, kvHeads: 2, headDim: 8, intermediate: 48, slidingWindow: 32, seed: 3, normNoise: 0.2 }),
    reference: (model, weights, inputIds, attentionMask, lengths, batch, seq) =>
      gemma2ReferenceForward(model.config as Parameters<typeof gemma2ReferenceForward>[0], weights, { inputIds, attentionMask, pooled: Int32Array.from(lengths, (n) => n - 1), batch, seq }),
    headKeys: ["score.weight"],
  },
  {
    name: "bert",
    write: (dir) => writeBertFixture(dir, { tokenizerDir: join(shared, "bert-minilm"), hidden: 32, layers: 2, heads: 4, intermediate: 48, maxPositions: 128, seed: 3 }),
    reference: (model, weights, inputIds, attentionMask, _lengths, batch, seq) =>
      bertReferenceForward(model.config as Parameters<typeof bertReferenceForward>[0], weights, { inputIds, attentionMask, tokenTypeIds: new Int32Array(batch * seq), batch, seq }),
    headKeys: ["classifier.weight", "classifier.bias"],
  },
];

async function encoded(dir: string, csv: string): Promise<EncodedExamples> {
  const tokenizer = createTokenizer(JSON.parse(await readFile(join(dir, "tokenizer.json"), "utf8")), JSON.parse(await readFile(join(dir, "tokenizer_config.json"), "utf8")));
  return encodeExamples((await loadArena(csv)).table, tokenizer, { maxLength: 64 });
}

describe.each(families)("LoRA training of $name", (family) => {
  let model: HfModel;
  let train: EncodedExamples;
  let heldOut: EncodedExamples;
  beforeAll(async () => {
    const dir = join(root, family.name);
    await family.write(dir);
    model = await loadHfModel(dir);
    train = await encoded(dir, plantedCsv(120, 1));
    heldOut = await encoded(dir, plantedCsv(60, 2));
  });

  it("gives LoRA and head gradients equal to central differences of the float64 reference", async () => {
    const lora: LoraConfig = parseLoraConfig({ r: 2, lora_alpha: 4, target_modules: "all-linear", task_type: "SEQ_CLS" });
    const architecture = architectureOf(model);
    const plan = planLora(architecture, lora);
    const rng = new Rng(9);
    const params = initialParameters(plan, lora, model.weights, rng);
    // random B and head so that no gradient vanishes
    for (const [key, value] of params) if (key.endsWith("lora_B.weight") || family.headKeys.includes(key)) rng.fillNormal(value, 0.3);
    const rows = Int32Array.of(0, 1, 2);
    const batch = padBatch(train.sequences, rows, { padTokenId: architecture.padTokenId! }, train.labels);
    const step = buildStepGraph(architecture, plan, batch.seq);
    const executor = new Executor({ intraOpNumThreads: 1 });
    const out = await (await executor.compile(step.graph, step.trainOutputs)).run({ ...architecture.feeds(batch), ...labelFeeds(batch), ...parameterFeeds(params, step.model.trainable) });
    await executor.release();

    const lengths = Array.from(rows, (r) => train.lengths[r]);
    const loss = (values: Map<string, Float32Array>): number => {
      const adapter = toAdapter(plan, lora, values);
      const weights = new Map([...model.weights].map(([k, w]) => [k, Float64Array.from(w.data)]));
      // W + s·B·A in float64 (PEFT layout: A [r, in], B [out, r])
      for (const [path, { A, B, r, inFeatures, outFeatures }] of adapter.layers) {
        const merged = weights.get(`${path}.weight`)!;
        for (let o = 0; o < outFeatures; o++) {
          for (let i = 0; i < inFeatures; i++) {
            let sum = 0;
            for (let k = 0; k < r; k++) sum += B[o * r + k] * A[k * inFeatures + i];
            merged[o * inFeatures + i] += plan.scale * sum;
          }
        }
      }
      for (const [key, tensor] of adapter.modulesToSave) weights.set(key, Float64Array.from(tensor.data));
      const logits = family.reference(model, weights, batch.inputIds, batch.attentionMask, lengths, batch.batch, batch.seq);
      let total = 0;
      for (let r = 0; r < batch.batch; r++) {
        const row = Array.from(logits.subarray(r * 3, r * 3 + 3));
        const max = Math.max(...row);
        total += max + Math.log(row.reduce((s, z) => s + Math.exp(z - max), 0)) - row[batch.labels![r]];
      }
      return total / batch.batch;
    };
    expect(Number(out.loss.data[0])).toBeCloseTo(loss(params), 4);
    const probes = [plan.targets[0], plan.targets.at(-1)!].flatMap((t) => [`${t.path}.lora_A.weight`, `${t.path}.lora_B.weight`]).concat(family.headKeys);
    for (const key of probes) {
      const grad = out[`grad/${key}`].data as Float32Array;
      for (const i of [0, Math.floor(grad.length / 2), grad.length - 1]) {
        const shifted = (delta: number) => {
          const copy = new Map([...params].map(([k, v]) => [k, Float32Array.from(v)]));
          copy.get(key)![i] += delta;
          return loss(copy);
        };
        // float32 steps: the perturbation is what the float32 parameter really moved by
        const h = 1e-2;
        const fd = (shifted(h) - shifted(-h)) / (2 * h);
        expect(Math.abs(grad[i] - fd), `${key}[${i}]: graph ${grad[i]}, differences ${fd}`).toBeLessThan(2e-3 + 2e-2 * Math.abs(fd));
      }
    }
  });

  it("learns a planted rule far beyond the prior, and its merged export predicts the same in plain onnxruntime", async () => {
    const lora = parseLoraConfig({ r: 8, lora_alpha: 16, target_modules: "all-linear", task_type: "SEQ_CLS" });
    const runDir = join(root, `${family.name}-run`);
    const result = await trainLora(model, lora, { epochs: 6, batchSize: 8, learningRate: 1e-2, warmupRatio: 0.1, seed: 5, train, eval: heldOut, runDir });
    const final = result.evals.at(-1)!;
    expect(final.accuracy).toBeGreaterThan(0.9);
    expect(final.logLoss).toBeLessThan(0.6); // the prior is ln 3 ≈ 1.10

    const files = { config: await readFile(join(result.adapterDir!, "adapter_config.json"), "utf8"), weights: await readFile(join(result.adapterDir!, "adapter_model.safetensors")) };
    const saved = decodeAdapter(files);
    expect([...saved.modulesToSave.keys()].sort()).toEqual([...family.headKeys].sort());
    expect(saved.config.modules_to_save).toContain(architectureOf(model).head.module);
    const probabilities = await predictProbabilities(model, saved, heldOut, { threads: 1 });
    const logLoss = -heldOut.labels.reduce((sum, label, row) => sum + Math.log(probabilities[row * 3 + label]), 0) / heldOut.labels.length;
    expect(logLoss).toBeCloseTo(final.logLoss, 5);

    const out = join(root, `${family.name}-export`);
    await exportOnnx(join(root, family.name), result.adapterDir!, out);
    const session = await ort.InferenceSession.create(join(out, EXPORTED_MODEL_FILE));
    try {
      const rows = Int32Array.from({ length: 6 }, (_, i) => i);
      const batch = padBatch(heldOut.sequences, rows, { padTokenId: architectureOf(model).padTokenId! });
      const int64 = (values: ArrayLike<number>) => new ort.Tensor("int64", BigInt64Array.from(Array.from(values, BigInt)), [batch.batch, batch.seq]);
      const feeds: Record<string, ort.Tensor> = { input_ids: int64(batch.inputIds), attention_mask: int64(batch.attentionMask) };
      if (session.inputNames.includes("token_type_ids")) feeds.token_type_ids = int64(new Int32Array(batch.batch * batch.seq));
      const logits = (await session.run(feeds)).logits.data as Float32Array;
      for (let r = 0; r < 6; r++) {
        const row = Array.from(logits.subarray(r * 3, r * 3 + 3));
        const max = Math.max(...row);
        const sum = row.reduce((s, z) => s + Math.exp(z - max), 0);
        for (let c = 0; c < 3; c++) expect(Math.exp(row[c] - max) / sum).toBeCloseTo(probabilities[r * 3 + c], 4);
      }
    } finally {
      await session.release();
    }
  });
});

describe("a BERT encoder's position table", () => {
  it("refuses sequences longer than max_position_embeddings, naming the field and both lengths", async () => {
    const dir = join(root, "bert-short");
    await writeBertFixture(dir, { tokenizerDir: join(shared, "bert-minilm"), hidden: 32, layers: 1, heads: 4, intermediate: 48, maxPositions: 16 });
    const architecture = architectureOf(await loadHfModel(dir));
    expect(() => architecture.build(new Graph(), { maxSeq: 17 })).toThrow(new ModelConfigError("config.json", "max_position_embeddings", "is 16, but sequences of 17 tokens were given; lower --max-length"));
    expect(() => architecture.build(new Graph(), { maxSeq: 16 })).not.toThrow();
  });
});
