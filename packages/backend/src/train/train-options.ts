import type { Device } from "../executor.js";
import type { EncodedExamples } from "./examples.js";
import type { LrDecay } from "./lr-schedule.js";
import type { TrainingLog } from "./training-log.js";

/** A training option outside its range; names the option and the value. */
export class TrainOptionError extends Error {
  override readonly name = "TrainOptionError";
}

/** Options of `trainLora`. */
export interface TrainOptions {
  /** Training examples (see `encodeExamples`). */
  readonly train: EncodedExamples;
  /** Held-out examples evaluated every `evalEvery` steps and at the end. Defaults to `null`. */
  readonly eval?: EncodedExamples | null;
  /** Folder for checkpoints, `latest.json` and the final `adapter/`. */
  readonly runDir: string;
  /** Passes over the training examples. Defaults to `1`. */
  readonly epochs?: number;
  /** Rows per micro-batch. Defaults to `8`. */
  readonly batchSize?: number;
  /** Micro-batches averaged into one optimizer step. Defaults to `1`. */
  readonly gradientAccumulation?: number;
  /** Peak learning rate. Defaults to `2e-4`. */
  readonly learningRate?: number;
  /** Share of the steps spent warming up linearly from 0. Defaults to `0.1`. */
  readonly warmupRatio?: number;
  /** Decay after warmup. Defaults to `"cosine"`. */
  readonly decay?: LrDecay;
  /** AdamW decoupled weight decay. Defaults to `0.01`. */
  readonly weightDecay?: number;
  /** Global gradient-norm clip; 0 turns it off. Defaults to `1`. */
  readonly maxGradNorm?: number;
  /** Seed of the LoRA init and the data order. Defaults to `0`. */
  readonly seed?: number;
  /** Batch rows of similar length together. Defaults to `true`. */
  readonly groupByLength?: boolean;
  /** Evaluate every this many optimizer steps (0: only at the end). Defaults to `0`. */
  readonly evalEvery?: number;
  /** Write a checkpoint every this many optimizer steps (0: none until the end). Defaults to `0`. */
  readonly checkpointEvery?: number;
  /** Checkpoints kept on disk. Defaults to `2`. */
  readonly keepCheckpoints?: number;
  /** Continue from the newest intact checkpoint in `runDir` when there is one. Defaults to `false`. */
  readonly resume?: boolean;
  /** Stop after this many optimizer steps in this process (the run stays resumable). Defaults to `Infinity`. */
  readonly stopAfterSteps?: number;
  /** Execution provider. Defaults to `"cpu"`. */
  readonly device?: Device;
  /** Threads per op; a fixed count keeps runs bit-reproducible, 0 lets onnxruntime pick. Defaults to `1`. */
  readonly threads?: number;
  /** Where progress goes. Defaults to no log. */
  readonly log?: TrainingLog | null;
  /** Distillation from a teacher: its probabilities per training example (`[examples, classes]`, see `teacherTargets`) and the weight w of KL(teacher ‖ student) in the loss, the labels keeping 1 − w. Defaults to `null`. */
  readonly distill?: { readonly teacher: Float32Array; readonly weight: number } | null;
}

/** `options` with every default filled in and every count checked; throws `TrainOptionError` naming the option. */
export function resolveTrainOptions(options: TrainOptions) {
  const positiveInt = (name: string, value: number) => {
    if (!Number.isInteger(value) || value < 1) throw new TrainOptionError(`${name} must be an integer ≥ 1, got ${value}`);
    return value;
  };
  const nonNegativeInt = (name: string, value: number) => {
    if (!Number.isInteger(value) || value < 0) throw new TrainOptionError(`${name} must be an integer ≥ 0, got ${value}`);
    return value;
  };
  if (options.train.sequences.length === 0) throw new TrainOptionError("train has no examples");
  return {
    train: options.train,
    eval: options.eval ?? null,
    runDir: options.runDir,
    epochs: positiveInt("epochs", options.epochs ?? 1),
    batchSize: positiveInt("batchSize", options.batchSize ?? 8),
    gradientAccumulation: positiveInt("gradientAccumulation", options.gradientAccumulation ?? 1),
    learningRate: options.learningRate ?? 2e-4,
    warmupRatio: options.warmupRatio ?? 0.1,
    decay: options.decay ?? "cosine",
    weightDecay: options.weightDecay ?? 0.01,
    maxGradNorm: options.maxGradNorm ?? 1,
    seed: options.seed ?? 0,
    groupByLength: options.groupByLength ?? true,
    evalEvery: nonNegativeInt("evalEvery", options.evalEvery ?? 0),
    checkpointEvery: nonNegativeInt("checkpointEvery", options.checkpointEvery ?? 0),
    keepCheckpoints: positiveInt("keepCheckpoints", options.keepCheckpoints ?? 2),
    resume: options.resume ?? false,
    stopAfterSteps: options.stopAfterSteps ?? Number.POSITIVE_INFINITY,
    device: options.device ?? "cpu",
    threads: nonNegativeInt("threads", options.threads ?? 1),
    log: options.log ?? null,
    distill: distillOption(options.distill ?? null),
  };
}

function distillOption(distill: TrainOptions["distill"]): TrainOptions["distill"] {
  if (distill && !(distill.weight >= 0 && distill.weight <= 1)) throw new TrainOptionError(`distill.weight must be in [0, 1], got ${distill.weight}`);
  return distill;
}

/** `TrainOptions` resolved by `resolveTrainOptions`. */
export type ResolvedTrainOptions = ReturnType<typeof resolveTrainOptions>;
