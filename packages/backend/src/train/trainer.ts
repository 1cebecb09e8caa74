import { createHash } from "node:crypto";
import { Rng, decodeAdapter, encodeAdapter, parseSafetensors, serializeSafetensors, type LoraAdapter, type LoraConfig, type Tensor as StoredTensor } from "@lora-litee/lora";
import { Executor } from "../executor.js";
import { dropoutSeed } from "../nn/dropout.js";
import type { Feeds } from "../host-tensor.js";
import { architectureOf } from "../models/architecture-of.js";
import { ModelConfigError } from "../models/config-error.js";
import type { HfModel } from "../models/hf-model.js";
import { planLora } from "../models/lora-targets.js";
import { padBatch } from "./batching.js";
import { labelFeeds } from "./batch-feeds.js";
import { CheckpointError, readLatestCheckpoint, writeCheckpoint } from "./checkpoint.js";
import { DoraNorms } from "./dora-norms.js";
import { advancePosition, epochBatches, type DataPosition } from "./data-order.js";
import { writeAdapterDir } from "./adapter-dir.js";
import { dropoutFeeds } from "./dropout-feeds.js";
import { assertFiniteLoss } from "./loss-guard.js";
import { fromAdapter, initialParameters, toAdapter, type TrainedParameters } from "./lora-parameters.js";
import { learningRateAt, warmupStepsFromRatio } from "./lr-schedule.js";
import { classificationMetrics, type ClassificationMetrics } from "./metrics.js";
import { parameterFeeds, predictLogits } from "./predict.js";
import { pack, unpack } from "./packed-parameters.js";
import { buildStepGraph, buildUpdateGraph } from "./train-graphs.js";
import { TrainOptionError, resolveTrainOptions, type ResolvedTrainOptions, type TrainOptions } from "./train-options.js";

/** What a run produced. */
export interface TrainResult {
  /** The trained adapter (LoRA layers + the head). */
  readonly adapter: LoraAdapter;
  /** The folder holding it in PEFT's layout (`adapter_config.json`, `adapter_model.safetensors`); null when stopped early. */
  readonly adapterDir: string | null;
  /** Optimizer steps done in total (including those before a resume). */
  readonly steps: number;
  /** Steps the whole run has. */
  readonly totalSteps: number;
  /** Mean training loss of each step done in this process. */
  readonly losses: readonly number[];
  /** Evaluations in order, with the step each was taken at. */
  readonly evals: readonly (ClassificationMetrics & { step: number })[];
}

interface RunState {
  step: number;
  position: DataPosition;
  fingerprint: string;
}

/**
 * LoRA fine-tuning of a classifier of any supported family (Llama, Mistral, Qwen2, Gemma-2, BERT; `LoraConfig`
 * targets, head trained in full), deterministic in its
 * seed: the data order, the LR and the LoRA dropout masks are pure functions of the step and the data position, the
 * device runs with a fixed thread count, and a checkpoint holds the exact float32 parameters, AdamW moments and
 * data position — so a resumed run ends bit-identical to an uninterrupted one.
 */
export async function trainLora(model: HfModel, loraConfig: LoraConfig, options: TrainOptions): Promise<TrainResult> {
  const architecture = architectureOf(model);
  if (architecture.padTokenId === null) {
    throw new ModelConfigError("config.json", "pad_token_id", "must be set for batched training (the tokenizer's pad, unk or eos id)");
  }
  const { padTokenId, classes } = architecture;
  const plan = planLora(architecture, loraConfig);
  const o = resolveTrainOptions(options);
  const batchesPerEpoch = Math.ceil(o.train.sequences.length / o.batchSize);
  const totalMicro = batchesPerEpoch * o.epochs;
  const totalSteps = Math.ceil(totalMicro / o.gradientAccumulation);
  const schedule = { decay: o.decay, peakLr: o.learningRate, warmupSteps: warmupStepsFromRatio(o.warmupRatio, totalSteps), totalSteps };
  const fingerprint = fingerprintOf(loraConfig, o, model);

  const maxSeq = Math.max(...o.train.lengths, ...(o.eval?.lengths ?? []), 1);
  if (o.distill && o.distill.teacher.length !== o.train.sequences.length * classes) {
    throw new TrainOptionError(`distill.teacher has ${o.distill.teacher.length} values; ${o.train.sequences.length} examples × ${classes} classes expected`);
  }
  const step = buildStepGraph(architecture, plan, maxSeq, o.distill?.weight ?? null);
  const keys = step.model.trainable.map((p) => p.key);
  let params: TrainedParameters;
  let moments: { m: Float32Array; v: Float32Array };
  let state: RunState = { step: 0, position: { epoch: 0, batch: 0 }, fingerprint };
  const checkpoint = o.resume ? await readLatestCheckpoint<RunState>(o.runDir) : null;
  if (checkpoint) {
    if (checkpoint.state.fingerprint !== fingerprint) {
      throw new CheckpointError(`${checkpoint.dir}: was written by a run with other settings, data or model; resume needs the same ones`);
    }
    const files = { config: textOf(checkpoint.files, "adapter_config.json"), weights: bytesOf(checkpoint.files, "adapter_model.safetensors") };
    params = fromAdapter(plan, decodeAdapter(files, { source: checkpoint.dir }), checkpoint.dir);
    const optimizer = parseSafetensors(bytesOf(checkpoint.files, "optimizer.safetensors")).tensors;
    moments = { m: optimizer.get("exp_avg")!.data as Float32Array, v: optimizer.get("exp_avg_sq")!.data as Float32Array };
    state = checkpoint.state;
  } else {
    params = initialParameters(plan, loraConfig, model.weights, new Rng(o.seed));
    const size = keys.reduce((sum, key) => sum + params.get(key)!.length, 0);
    moments = { m: new Float32Array(size), v: new Float32Array(size) };
  }
  const update = buildUpdateGraph(moments.m.length, { weightDecay: o.weightDecay, maxGradNorm: o.maxGradNorm });
  const executor = new Executor({ device: o.device, intraOpNumThreads: o.threads });
  const losses: number[] = [];
  const evals: (ClassificationMetrics & { step: number })[] = [];
  let lastCheckpoint: string | null = checkpoint?.dir ?? null;
  try {
    const trainRun = await executor.compile(step.graph, step.trainOutputs);
    const updateRun = await executor.compile(update.graph, update.outputs);
    const norms = await DoraNorms.create(executor, model.weights, plan);
    const evaluate = async (at: number) => {
      if (!o.eval) return;
      const evalRun = await executor.compile(step.graph, step.evalOutputs);
      const feeds = { ...parameterFeeds(params, step.model.trainable), ...(await norms.feeds(params)), ...dropoutFeeds(step.model, 0, 0) };
      const logits = await predictLogits(evalRun, o.eval, feeds, classes, { padTokenId, batchSize: o.batchSize, batchFeeds: architecture.feeds });
      const metrics = { ...classificationMetrics(logits, o.eval.labels, classes), step: at };
      evals.push(metrics);
      o.log?.write({ event: "eval", step: at, logLoss: metrics.logLoss, accuracy: metrics.accuracy, rows: metrics.rows });
    };
    const save = async () => {
      const adapterFiles = encodeAdapter(toAdapter(plan, loraConfig, params));
      const optimizer = new Map<string, StoredTensor>([
        ["exp_avg", { dtype: "F32", shape: [moments.m.length], data: moments.m }],
        ["exp_avg_sq", { dtype: "F32", shape: [moments.v.length], data: moments.v }],
      ]);
      lastCheckpoint = await writeCheckpoint(
        o.runDir,
        { step: state.step, state, files: { "adapter_config.json": adapterFiles.config, "adapter_model.safetensors": adapterFiles.weights, "optimizer.safetensors": serializeSafetensors(optimizer) } },
        { keep: o.keepCheckpoints },
      );
      o.log?.write({ event: "checkpoint", step: state.step, path: lastCheckpoint });
    };

    o.log?.write({ event: "start", step: state.step, totalSteps });
    let epochCache = null as { epoch: number; batches: Int32Array[] } | null;
    let doneHere = 0;
    while (state.step < totalSteps && doneHere < o.stopAfterSteps) {
      const micro = Math.min(o.gradientAccumulation, totalMicro - state.step * o.gradientAccumulation);
      const started = performance.now();
      const grads = new Float32Array(moments.m.length);
      let loss = 0;
      let tokens = 0;
      let position = state.position;
      const paramFeeds = { ...parameterFeeds(params, step.model.trainable), ...(await norms.feeds(params)) };
      for (let i = 0; i < micro; i++) {
        if (epochCache?.epoch !== position.epoch) epochCache = { epoch: position.epoch, batches: epochBatches(o.train.lengths, position.epoch, o) };
        const batch = padBatch(o.train.sequences, epochCache.batches[position.batch], { padTokenId }, o.train.labels);
        for (const row of batch.rows) tokens += o.train.lengths[row];
        const rows = epochCache.batches[position.batch];
        const teacherFeed: Feeds = o.distill ? { teacher_probs: { data: teacherRows(o.distill.teacher, rows, classes), shape: [rows.length, classes] } } : {};
        const masks = dropoutFeeds(step.model, dropoutSeed(o.seed, position.epoch * batchesPerEpoch + position.batch), plan.dropout);
        const out = await trainRun.run({ ...architecture.feeds(batch), ...labelFeeds(batch), ...paramFeeds, ...teacherFeed, ...masks });
        loss += Number(out.loss.data[0]) / micro;
        // HF semantics: each micro-batch's mean loss weighs 1/accumulation, whatever its size
        let offset = 0;
        for (const key of keys) {
          const g = out[`grad/${key}`].data as Float32Array;
          for (let j = 0; j < g.length; j++) grads[offset + j] += g[j] / micro;
          offset += g.length;
        }
        position = advancePosition(position, batchesPerEpoch);
      }
      assertFiniteLoss(loss, state.step, lastCheckpoint);
      const lr = learningRateAt(schedule, state.step);
      const size = [moments.m.length];
      const next = await updateRun.run({
        params: { data: pack(keys, params, moments.m.length), shape: size },
        grads: { data: grads, shape: size },
        m: { data: moments.m, shape: size },
        v: { data: moments.v, shape: size },
        lr: { data: Float32Array.of(lr), shape: [] },
        step: { data: Float32Array.of(state.step + 1), shape: [] },
      });
      unpack(keys, params, next.new_params.data as Float32Array);
      moments = { m: next.new_m.data as Float32Array, v: next.new_v.data as Float32Array };
      const seconds = (performance.now() - started) / 1000;
      o.log?.write({ event: "step", step: state.step, loss, lr, gradNorm: Number(next.grad_norm.data[0]), tokensPerSecond: tokens / seconds });
      losses.push(loss);
      state = { step: state.step + 1, position, fingerprint };
      doneHere++;
      if (o.evalEvery > 0 && state.step % o.evalEvery === 0 && state.step < totalSteps) await evaluate(state.step);
      if (o.checkpointEvery > 0 && state.step % o.checkpointEvery === 0 && state.step < totalSteps) await save();
    }
    const adapter = toAdapter(plan, loraConfig, params);
    if (state.step < totalSteps) {
      await save();
      o.log?.close();
      return { adapter, adapterDir: null, steps: state.step, totalSteps, losses, evals };
    }
    await evaluate(state.step);
    await save();
    const adapterDir = await writeAdapterDir(o.runDir, adapter);
    o.log?.write({ event: "end", step: state.step, adapter: adapterDir });
    o.log?.close();
    return { adapter, adapterDir, steps: state.step, totalSteps, losses, evals };
  } finally {
    await executor.release();
  }
}

/** The teacher rows of a batch's examples, in batch order. */
function teacherRows(teacher: Float32Array, rows: Int32Array, classes: number): Float32Array {
  const out = new Float32Array(rows.length * classes);
  rows.forEach((row, i) => out.set(teacher.subarray(row * classes, (row + 1) * classes), i * classes));
  return out;
}

/** A hash of everything that shapes the trajectory; a checkpoint only resumes a run with the same one. */
function fingerprintOf(lora: LoraConfig, o: ResolvedTrainOptions, model: HfModel): string {
  const hash = createHash("sha256");
  hash.update(JSON.stringify({ lora, ...o, train: undefined, eval: undefined, log: undefined, runDir: undefined, resume: undefined, stopAfterSteps: undefined, distill: o.distill?.weight ?? null }));
  if (o.distill) hash.update(new Uint8Array(o.distill.teacher.buffer, o.distill.teacher.byteOffset, o.distill.teacher.byteLength));
  hash.update(JSON.stringify(model.config));
  for (const sequence of o.train.sequences) hash.update(new Uint8Array(sequence.buffer, sequence.byteOffset, sequence.byteLength));
  hash.update(new Uint8Array(o.train.labels.buffer, o.train.labels.byteOffset, o.train.labels.byteLength));
  return hash.digest("hex").slice(0, 32);
}

function bytesOf(files: ReadonlyMap<string, Uint8Array>, name: string): Uint8Array {
  const bytes = files.get(name);
  if (!bytes) throw new CheckpointError(`checkpoint has no ${name}`);
  return bytes;
}

function textOf(files: ReadonlyMap<string, Uint8Array>, name: string): string {
  return new TextDecoder().decode(bytesOf(files, name));
}
