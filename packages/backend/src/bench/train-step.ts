import { Executor, type Device } from "../executor.js";
import { Graph } from "../graph.js";
import type { HostTensor } from "../host-tensor.js";
import { llamaStack, llamaTrainableShapes, seededWeights, type LlamaStackConfig } from "../nn/llama-stack.js";
import { crossEntropy } from "../nn/loss.js";
import { trainStep } from "../optim/train-step.js";

/** Options of {@link benchTrainStep}; defaults are the configuration. */
export interface TrainStepBenchOptions {
  /** Residual width. Defaults to `512`. */
  hidden?: number;
  /** Decoder layers. Defaults to `4`. */
  layers?: number;
  /** Attention heads. Defaults to `8`. */
  heads?: number;
  /** SwiGLU inner width. Defaults to `1376`. */
  ffn?: number;
  /** Vocabulary size. Defaults to `32000`. */
  vocab?: number;
  /** Tokens per row. Defaults to `256`. */
  seq?: number;
  /** Rows per step. Defaults to `4`. */
  batch?: number;
  /** LoRA rank on q/k/v/o. Defaults to `16`. */
  rank?: number;
  /** Head classes. Defaults to `3`. */
  classes?: number;
  /** Timed steps. Defaults to `10`. */
  steps?: number;
  /** Untimed steps first. Defaults to `2`. */
  warmup?: number;
  /** ORT intra-op threads. Defaults to `2`. */
  threads?: number;
  /** Execution provider. Defaults to `"cpu"`. */
  device?: Device;
  /** Let idle ORT threads spin (`ExecutorOptions.spinning`). Defaults to `true`. */
  spinning?: boolean;
  /** `"train"` times whole steps; `"forward"` times the loss alone, to compare a step with its forward. Defaults to `"train"`. */
  mode?: "train" | "forward";
}

/** What one benchmark run measured. */
export interface TrainStepBenchResult {
  /** `batch · seq` tokens over the mean wall time of a timed step. */
  readonly tokensPerSecond: number;
  /** Mean wall time of a timed step in ms. */
  readonly msPerStep: number;
  /** Process CPU time (user + system) per timed step in ms; wall time over this shows contention on a shared machine. */
  readonly cpuMsPerStep: number;
  /** Session creation (serialize + ORT optimize) in ms. */
  readonly compileMs: number;
  /** Peak resident set of this process in MiB. */
  readonly peakRssMb: number;
  /** Loss of the first step, warm-up included. */
  readonly firstLoss: number;
  /** Loss of the last step. */
  readonly lastLoss: number;
  /** Primitive nodes in the graph built (the training step is built in both modes). */
  readonly graphNodes: number;
  /** Execution provider it ran on. */
  readonly device: Device;
  /** The options with their defaults filled in. */
  readonly config: Required<TrainStepBenchOptions>;
}

/**
 * Times full LoRA training steps (forward, cross-entropy, backward, clipping, AdamW) of a Llama-style stack, one
 * `session.run` each, feeding updated parameters and moments back as the next step's inputs.
 */
export async function benchTrainStep(options: TrainStepBenchOptions = {}): Promise<TrainStepBenchResult> {
  const o: Required<TrainStepBenchOptions> = {
    hidden: 512, layers: 4, heads: 8, ffn: 1376, vocab: 32000, seq: 256, batch: 4, rank: 16, classes: 3, steps: 10, warmup: 2, threads: 2, device: "cpu", mode: "train", spinning: true,
    ...options,
  };
  const config: LlamaStackConfig = {
    vocab: o.vocab, hidden: o.hidden, layers: o.layers, heads: o.heads, ffn: o.ffn, classes: o.classes, rank: o.rank, alpha: 2 * o.rank,
    maxSeq: o.seq, dtype: "float32", eps: 1e-6, ropeTheta: 10000,
  };
  const g = new Graph();
  const ids = g.input("input_ids", "int64", ["batch", "seq"]);
  const labels = g.input("labels", "int64", ["batch"]);
  const stack = llamaStack(g, config, ids, seededWeights("float32", 1));
  const loss = crossEntropy(g, stack.logits, labels);
  const step = trainStep(g, loss, stack.trainable, { weightDecay: 0.01, maxGradNorm: 1 });

  const executor = new Executor({ device: o.device, intraOpNumThreads: o.threads, spinning: o.spinning });
  const t0 = performance.now();
  const compiled = await executor.compile(g, o.mode === "train" ? step.outputs : { loss });
  const compileMs = performance.now() - t0;

  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const feeds: Record<string, HostTensor> = {
    input_ids: { data: BigInt64Array.from({ length: o.batch * o.seq }, () => BigInt(Math.floor(rand() * o.vocab))), shape: [o.batch, o.seq] },
    labels: { data: BigInt64Array.from({ length: o.batch }, () => BigInt(Math.floor(rand() * o.classes))), shape: [o.batch] },
    lr: { data: new Float32Array([1e-4]), shape: [] },
  };
  for (const { name, shape } of llamaTrainableShapes(config)) {
    const n = shape[0] * shape[1];
    // PEFT init: A random, B zero; the head random.
    const values = name.endsWith("lora_B") ? new Float32Array(n) : Float32Array.from({ length: n }, () => (rand() * 2 - 1) / Math.sqrt(shape[0]));
    feeds[name] = { data: values, shape };
    feeds[`${name}/m`] = { data: new Float32Array(n), shape };
    feeds[`${name}/v`] = { data: new Float32Array(n), shape };
  }
  const losses: number[] = [];
  let timed = 0;
  let cpu = 0;
  for (let i = 0; i < o.warmup + o.steps; i++) {
    feeds.step = { data: new Float32Array([i + 1]), shape: [] };
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    const out = await compiled.run(feeds);
    if (i >= o.warmup) {
      timed += performance.now() - start;
      const used = process.cpuUsage(cpuStart);
      cpu += (used.user + used.system) / 1000;
    }
    losses.push(Number(out.loss.data[0]));
    if (o.mode === "train") for (const [input, output] of step.feedback) feeds[input] = out[output];
  }
  await executor.release();
  const msPerStep = timed / o.steps;
  return {
    tokensPerSecond: (o.batch * o.seq) / (msPerStep / 1000),
    msPerStep,
    cpuMsPerStep: cpu / o.steps,
    compileMs,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    firstLoss: losses[0],
    lastLoss: losses[losses.length - 1],
    graphNodes: g.nodes.length,
    device: o.device,
    config: o,
  };
}
