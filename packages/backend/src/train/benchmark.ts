import { join } from "node:path";
import { Rng, parseLoraConfig } from "@lora-litee/lora";
import { benchShape, ensureBenchFixture, type BenchShape, type BenchShapeOptions } from "../models/bench-fixture.js";
import { loadHfModel } from "../models/hf-model.js";
import type { EncodedExamples } from "./examples.js";
import { trainLora } from "./trainer.js";
import type { TrainingEvent, TrainingLog } from "./training-log.js";

/** Options of `benchTrain`. Sizes default to SmolLM2-135M's shape. */
export interface BenchTrainOptions extends BenchShapeOptions {
  /** Timed optimizer steps. Defaults to `3`. */
  readonly steps?: number;
  /** Untimed steps first (allocator and cache warm-up). Defaults to `1`. */
  readonly warmupSteps?: number;
  /** `vocab_size` of the fixture (random ids are drawn below it); at least the tokenizer's. Defaults to the tokenizer's vocabulary size. */
  readonly vocabSize?: number;
  /** Threads per op; 0 lets onnxruntime use every core. Defaults to `0`. */
  readonly threads?: number;
  /** `lora_dropout` of the adapter (the masks' cost shows against a run at 0). Defaults to `0`. */
  readonly dropout?: number;
}

/** What `benchTrain` measured. */
export interface BenchTrainResult {
  /** Training tokens per second at the median timed step (mean of the middle two for an even count). */
  readonly tokensPerSecond: number;
  /** Seconds of each timed step. */
  readonly stepSeconds: readonly number[];
  /** Tokens in one step. */
  readonly tokensPerStep: number;
  /** Seconds from the call to the first step (fixture, load, graph build, session creation). */
  readonly setupSeconds: number;
  /** Sizes used. */
  readonly shape: BenchShape;
}

/** Times LoRA training steps of `trainLora` on a random Llama-shaped model with full-length rows. */
export async function benchTrain(options: BenchTrainOptions): Promise<BenchTrainResult> {
  const start = performance.now();
  const shape = benchShape(options);
  const steps = options.steps ?? 3;
  const warmup = options.warmupSteps ?? 1;
  const modelDir = await ensureBenchFixture(options, shape, options.vocabSize);
  const model = await loadHfModel(modelDir);

  const rows = shape.batchSize * (warmup + steps);
  const rng = new Rng(1);
  const sequences = Array.from({ length: rows }, () => Int32Array.from({ length: shape.seq }, () => 3 + (rng.nextUint32() % (model.config.vocabSize - 3))));
  const train: EncodedExamples = {
    sequences,
    labels: Int32Array.from({ length: rows }, (_, i) => i % 3),
    lengths: new Int32Array(rows).fill(shape.seq),
    sourceRows: Int32Array.from({ length: rows }, (_, i) => i),
    swapped: new Uint8Array(rows),
    truncatedTokens: 0,
    truncatedExamples: 0,
  };
  const times: number[] = [];
  const log: TrainingLog = {
    write: (event: TrainingEvent) => {
      if (event.event === "start" || event.event === "step") times.push(performance.now());
    },
    close: () => {},
  };
  const lora = parseLoraConfig({ r: shape.rank, lora_alpha: 2 * shape.rank, lora_dropout: options.dropout ?? 0, target_modules: "all-linear", task_type: "SEQ_CLS" });
  await trainLora(model, lora, { train, runDir: join(options.dir, "run"), batchSize: shape.batchSize, threads: options.threads ?? 0, groupByLength: false, warmupRatio: 0, log });
  const stepSeconds = times.slice(1).map((t, i) => (t - times[i]) / 1000).slice(warmup);
  const sorted = [...stepSeconds].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const median = Number.isInteger(mid) ? (sorted[mid - 1] + sorted[mid]) / 2 : sorted[Math.floor(mid)];
  const tokensPerStep = shape.batchSize * shape.seq;
  return { tokensPerSecond: tokensPerStep / median, stepSeconds, tokensPerStep, setupSeconds: (times[0] - start) / 1000, shape };
}
