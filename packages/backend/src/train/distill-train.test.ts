import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Rng, parseLoraConfig } from "@lora-litee/lora";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeFixture } from "../models/fixture.js";
import { loadHfModel, type HfModel } from "../models/hf-model.js";
import type { EncodedExamples } from "./examples.js";
import { predictProbabilities } from "./predict.js";
import { TrainOptionError } from "./train-options.js";
import { trainLora } from "./trainer.js";

const tokenizerDir = fileURLToPath(new URL("../../../../../shared/tokenizers/llama/", import.meta.url));
const TEACHER = [0.2, 0.5, 0.3];
const lora = parseLoraConfig({ r: 4, lora_alpha: 8, target_modules: "all-linear", task_type: "SEQ_CLS" });

let root: string;
let model: HfModel;
let train: EncodedExamples;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "distill-train-"));
  await writeFixture(join(root, "model"), { tokenizerDir, hidden: 32, layers: 1, heads: 4, kvHeads: 2, intermediate: 48, seed: 3 });
  model = await loadHfModel(join(root, "model"));
  const rng = new Rng(8);
  const count = 32;
  const sequences = Array.from({ length: count }, () => Int32Array.from({ length: 6 + (rng.nextUint32() % 6) }, () => 3 + (rng.nextUint32() % 3000)));
  // every label says A; the teacher says otherwise
  train = { sequences, labels: new Int32Array(count), lengths: Int32Array.from(sequences, (s) => s.length), sourceRows: Int32Array.from({ length: count }, (_, i) => i), swapped: new Uint8Array(count), truncatedTokens: 0, truncatedExamples: 0 };
});
afterAll(() => rm(root, { recursive: true, force: true }));

async function meanProbabilities(weight: number): Promise<number[]> {
  const teacher = new Float32Array(train.sequences.length * 3).map((_, i) => TEACHER[i % 3]);
  const result = await trainLora(model, lora, { train, runDir: join(root, `run-${weight}`), epochs: 6, batchSize: 8, learningRate: 2e-2, warmupRatio: 0, seed: 1, distill: { teacher, weight } });
  const probs = await predictProbabilities(model, result.adapter, train);
  return [0, 1, 2].map((c) => probs.filter((_, i) => i % 3 === c).reduce((a, b) => a + b, 0) / train.sequences.length);
}

describe("trainLora with distillation", () => {
  it("follows the teacher at weight 1 and the labels at weight 0", async () => {
    const distilled = await meanProbabilities(1);
    distilled.forEach((p, c) => expect(Math.abs(p - TEACHER[c])).toBeLessThan(0.05));
    const supervised = await meanProbabilities(0);
    expect(supervised[0]).toBeGreaterThan(0.8);
  }, 60_000);

  it("checks the teacher's size and the weight", async () => {
    await expect(trainLora(model, lora, { train, runDir: join(root, "bad"), distill: { teacher: new Float32Array(3), weight: 0.5 } })).rejects.toThrow(TrainOptionError);
    await expect(trainLora(model, lora, { train, runDir: join(root, "bad"), distill: { teacher: new Float32Array(96), weight: 2 } })).rejects.toThrow("distill.weight must be in [0, 1], got 2");
  });
});
