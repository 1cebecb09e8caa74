import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createTokenizer, loadArena, type TextTokenizer } from "@lora-litee/data";
import { decodeAdapter, parseLoraConfig } from "@lora-litee/lora";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { plantedCsv } from "../../test/planted-arena.js";
import { writeFixture } from "../models/fixture.js";
import { loadHfModel, type HfModel } from "../models/hf-model.js";
import { encodeExamples, type EncodedExamples } from "./examples.js";
import { trainKFold } from "./k-fold.js";
import { NonFiniteLossError } from "./loss-guard.js";
import { JsonLinesLog } from "./training-log.js";
import { predictProbabilities } from "./predict.js";
import { TrainOptionError } from "./train-options.js";
import { trainLora } from "./trainer.js";

const shared = fileURLToPath(new URL("../../../../../shared/", import.meta.url));

let root: string;
let model: HfModel;
let train: EncodedExamples;
let heldOut: EncodedExamples;
let heldOutBothWays: EncodedExamples;
let tokenizer: TextTokenizer;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "trainer-"));
  await writeFixture(join(root, "model"), { tokenizerDir: join(shared, "tokenizers/llama"), hidden: 32, layers: 2, heads: 4, kvHeads: 2, intermediate: 64, seed: 1 });
  model = await loadHfModel(join(root, "model"));
  tokenizer = createTokenizer(
    JSON.parse(await readFile(join(root, "model/tokenizer.json"), "utf8")),
    JSON.parse(await readFile(join(root, "model/tokenizer_config.json"), "utf8")),
  );
  train = encodeExamples((await loadArena(plantedCsv(120, 1))).table, tokenizer, { maxLength: 64 });
  const heldOutTable = (await loadArena(plantedCsv(60, 2))).table;
  heldOut = encodeExamples(heldOutTable, tokenizer, { maxLength: 64 });
  heldOutBothWays = encodeExamples(heldOutTable, tokenizer, { maxLength: 64, swap: true });
});
afterAll(() => rm(root, { recursive: true, force: true }));

const lora = parseLoraConfig({ r: 8, lora_alpha: 16, target_modules: "all-linear", task_type: "SEQ_CLS" });
const settings = { epochs: 2, batchSize: 8, learningRate: 3e-3, warmupRatio: 0.1, seed: 5 };

describe("trainLora", () => {
  it("learns a planted rule far beyond the 1/3 prior", async () => {
    const lines: string[] = [];
    const log = new JsonLinesLog({ write: (text: string) => lines.push(text) });
    const result = await trainLora(model, lora, { ...settings, epochs: 4, learningRate: 1e-2, evalEvery: 15, train, eval: heldOut, runDir: join(root, "planted"), log });
    const events = lines.map((line) => JSON.parse(line) as { event: string; gradNorm?: number; tokensPerSecond?: number; totalSteps?: number });
    expect(events[0]).toMatchObject({ event: "start", totalSteps: 60 });
    expect(events.at(-1)?.event).toBe("end");
    const steps = events.filter((e) => e.event === "step");
    expect(steps).toHaveLength(60);
    expect(steps.every((e) => Number.isFinite(e.gradNorm) && e.gradNorm! > 0 && e.tokensPerSecond! > 0)).toBe(true);
    expect(events.filter((e) => e.event === "eval")).toHaveLength(4);
    const final = result.evals.at(-1)!;
    expect(result.steps).toBe(60);
    expect(result.evals.map((e) => e.step)).toEqual([15, 30, 45, 60]);
    expect(final.accuracy).toBeGreaterThan(0.9);
    expect(final.logLoss).toBeLessThan(0.6); // the prior is ln 3 ≈ 1.10
    expect(result.adapterDir).toBe(join(root, "planted", "adapter"));

    // the saved PEFT files predict what the run evaluated
    const files = { config: await readFile(join(result.adapterDir!, "adapter_config.json"), "utf8"), weights: await readFile(join(result.adapterDir!, "adapter_model.safetensors")) };
    const probabilities = await predictProbabilities(model, decodeAdapter(files), heldOut, { threads: 1 });
    const logLoss = -heldOut.labels.reduce((sum, label, row) => sum + Math.log(probabilities[row * 3 + label]), 0) / heldOut.labels.length;
    expect(logLoss).toBeCloseTo(final.logLoss, 5);
    const averaged = await predictProbabilities(model, result.adapter, heldOutBothWays, { threads: 1 });
    expect(averaged).toHaveLength(180);
    expect(averaged[0] + averaged[1] + averaged[2]).toBeCloseTo(1, 6);
    expect(averaged).not.toEqual(probabilities);
  });

  it("resumes from a checkpoint to a bit-identical adapter", async () => {
    const whole = await trainLora(model, lora, { ...settings, train, runDir: join(root, "whole") });
    const runDir = join(root, "interrupted");
    const first = await trainLora(model, lora, { ...settings, train, runDir, checkpointEvery: 3, stopAfterSteps: 7 });
    expect(first.adapterDir).toBeNull();
    const resumed = await trainLora(model, lora, { ...settings, train, runDir, checkpointEvery: 3, resume: true });
    expect(resumed.steps).toBe(whole.steps);
    const bytes = async (dir: string) => readFile(join(dir, "adapter_model.safetensors"));
    expect((await bytes(resumed.adapterDir!)).equals(await bytes(whole.adapterDir!))).toBe(true);
    expect(resumed.losses).toEqual(whole.losses.slice(7));
  });

  it("applies LoRA dropout in training only, drawn from the seed and data position, so resuming stays bit-identical", async () => {
    const dropped = parseLoraConfig({ r: 8, lora_alpha: 16, target_modules: "all-linear", task_type: "SEQ_CLS", lora_dropout: 0.2 });
    const common = { ...settings, epochs: 1, train, eval: heldOut };
    const plain = await trainLora(model, lora, { ...common, runDir: join(root, "no-dropout") });
    const whole = await trainLora(model, dropped, { ...common, runDir: join(root, "dropout-whole") });
    // same init and data order; B starts at 0 (and the LR warms up from 0), so the masks show only once B has moved
    expect(whole.losses[0]).toBe(plain.losses[0]);
    expect(whole.losses.slice(2).every((loss, i) => loss !== plain.losses[i + 2])).toBe(true);
    const runDir = join(root, "dropout-resumed");
    await trainLora(model, dropped, { ...common, runDir, checkpointEvery: 2, stopAfterSteps: 5 });
    const resumed = await trainLora(model, dropped, { ...common, runDir, checkpointEvery: 2, resume: true });
    const bytes = async (dir: string) => readFile(join(dir, "adapter_model.safetensors"));
    expect((await bytes(resumed.adapterDir!)).equals(await bytes(whole.adapterDir!))).toBe(true);
    // evaluation runs without masks: it equals prediction from the saved adapter, whose graph has no dropout
    const probabilities = await predictProbabilities(model, whole.adapter, heldOut, { threads: 1 });
    const logLoss = -heldOut.labels.reduce((sum, label, row) => sum + Math.log(probabilities[row * 3 + label]), 0) / heldOut.labels.length;
    expect(logLoss).toBeCloseTo(whole.evals.at(-1)!.logLoss, 5);
  });

  it("accumulates two micro-batches of 4 into the same update as one batch of 8", async () => {
    const common = { ...settings, epochs: 1, groupByLength: false, train, stopAfterSteps: 4 };
    const whole = await trainLora(model, lora, { ...common, batchSize: 8, runDir: join(root, "batch8") });
    const accumulated = await trainLora(model, lora, { ...common, batchSize: 4, gradientAccumulation: 2, runDir: join(root, "accum") });
    expect(accumulated.steps).toBe(4);
    for (const [path, layer] of whole.adapter.layers) {
      const other = accumulated.adapter.layers.get(path)!;
      for (let i = 0; i < layer.B.length; i++) expect(Math.abs(other.B[i] - layer.B[i])).toBeLessThan(1e-5);
    }
    accumulated.losses.forEach((loss, i) => expect(loss).toBeCloseTo(whole.losses[i], 5));
  });

  it("trains DoRA magnitudes (with LoRA dropout) and saves them in PEFT's layout", async () => {
    const dora = parseLoraConfig({ r: 4, lora_alpha: 8, target_modules: ["q_proj", "v_proj", "down_proj"], use_dora: true, lora_dropout: 0.1, task_type: "SEQ_CLS" });
    const result = await trainLora(model, dora, { ...settings, learningRate: 1e-2, train, eval: heldOut, runDir: join(root, "dora") });
    const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(result.losses.slice(-5))).toBeLessThan(mean(result.losses.slice(0, 5)));
    const files = { config: await readFile(join(result.adapterDir!, "adapter_config.json"), "utf8"), weights: await readFile(join(result.adapterDir!, "adapter_model.safetensors")) };
    const saved = decodeAdapter(files);
    expect(saved.config.use_dora).toBe(true);
    const layer = saved.layers.get("model.layers.1.mlp.down_proj")!;
    expect(layer.magnitude).toHaveLength(32);
    // the magnitude starts at ‖W‖ per row and trains away from it
    const w = model.weights.get("model.layers.1.mlp.down_proj.weight")!.data;
    const initial = Array.from({ length: 32 }, (_, o) => Math.hypot(...w.subarray(o * 64, (o + 1) * 64)));
    expect(Array.from(layer.magnitude!).some((m, o) => Math.abs(m - initial[o]) > 1e-4)).toBe(true);
    const probabilities = await predictProbabilities(model, saved, heldOut, { threads: 1 });
    const logLoss = -heldOut.labels.reduce((sum, label, row) => sum + Math.log(probabilities[row * 3 + label]), 0) / heldOut.labels.length;
    expect(logLoss).toBeCloseTo(result.evals.at(-1)!.logLoss, 5);
  });

  it("stops with a typed error on a NaN loss and writes no adapter", async () => {
    const poisoned = new Map(model.weights);
    const norm = model.weights.get("model.norm.weight")!;
    poisoned.set("model.norm.weight", { shape: norm.shape, data: new Float32Array(norm.data.length).fill(Number.NaN) });
    const runDir = join(root, "nan");
    const error = await trainLora({ ...model, weights: poisoned }, lora, { ...settings, train, runDir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NonFiniteLossError);
    expect((error as NonFiniteLossError).step).toBe(0);
    await expect(readFile(join(runDir, "adapter", "adapter_model.safetensors"))).rejects.toThrow(/ENOENT/);
  });

  it("rejects options outside their range before any work", async () => {
    await expect(trainLora(model, lora, { train, runDir: join(root, "bad"), batchSize: 0 })).rejects.toThrow(new TrainOptionError("batchSize must be an integer ≥ 1, got 0"));
  });
});

describe("trainKFold", () => {
  it("predicts every row with the fold that did not train on it", async () => {
    const table = (await loadArena(plantedCsv(96, 3))).table;
    const result = await trainKFold(model, lora, table, tokenizer, {
      ...settings,
      epochs: 10,
      learningRate: 1e-2,
      k: 2,
      examples: { maxLength: 64 },
      runDir: join(root, "kfold"),
    });
    expect(result.oof).toHaveLength(96 * 3);
    expect([...new Set(result.fold)].sort()).toEqual([0, 1]);
    for (let row = 0; row < 96; row++) expect(result.oof[row * 3] + result.oof[row * 3 + 1] + result.oof[row * 3 + 2]).toBeCloseTo(1, 6);
    expect(result.foldMetrics).toHaveLength(2);
    expect(result.overall.rows).toBe(96);
    expect(result.overall.accuracy).toBeGreaterThan(0.8);
    expect(result.adapterDirs).toEqual([join(root, "kfold", "fold-0", "adapter"), join(root, "kfold", "fold-1", "adapter")]);
  });
});
