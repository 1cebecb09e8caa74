import { GradientBoostedTrees } from "./booster.js";
import type { GbdtOptions } from "./options.js";
import { Rng } from "@lora-litee/lora";

/** Size and settings of {@link runGbdtBenchmark}. */
export interface GbdtBenchmarkOptions {
  /** Training rows. Defaults to `57477` (the full arena training set). */
  rows?: number;
  /** Feature columns. Defaults to `40`. */
  features?: number;
  /** Boosting rounds, run in full (early stopping off). Defaults to `100`. */
  rounds?: number;
  /** Depth of every tree. Defaults to `3` (the learner's default). */
  maxDepth?: number;
  /** Seed of the synthetic data and of the learner. Defaults to `0`. */
  seed?: number;
}

/** What {@link runGbdtBenchmark} measured. */
export interface GbdtBenchmarkResult {
  /** Synthetic training rows generated. */
  readonly rows: number;
  /** Feature columns per row. */
  readonly features: number;
  /** Classes predicted (always 3). */
  readonly classes: number;
  /** Boosting rounds the trained model holds. */
  readonly rounds: number;
  /** Trees trained: rounds × classes. */
  readonly trees: number;
  /** Wall-clock seconds spent training. */
  readonly trainSeconds: number;
  /** CPU seconds (user + system) this process spent training, or null where `process.cpuUsage` is missing: on a
   * shared machine wall time includes waiting for a core, CPU time does not. */
  readonly trainCpuSeconds: number | null;
  /** Rows trained per second over the whole fit: rows ÷ trainSeconds. */
  readonly rowsPerSecond: number;
  /** Row-rounds per second: rows × rounds ÷ trainSeconds (comparable across round counts). */
  readonly rowRoundsPerSecond: number;
  /** Wall-clock seconds to predict probabilities for all training rows once. */
  readonly predictSeconds: number;
  /** Training log loss after the last round, a sanity check that the trees learned something. */
  readonly finalTrainLoss: number;
}

/**
 * Trains the GBDT on synthetic data shaped like the rich features of the full arena set (three classes, a few
 * informative columns among noise) and times training and prediction. Single-threaded.
 */
export function runGbdtBenchmark(options: GbdtBenchmarkOptions = {}): GbdtBenchmarkResult {
  const rows = options.rows ?? 57477;
  const cols = options.features ?? 40;
  const rounds = options.rounds ?? 100;
  const rng = new Rng(options.seed ?? 0);
  const data = new Float64Array(rows * cols);
  const labels = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) data[i * cols + j] = rng.nextFloat() * 2 - 1;
    const signal = data[i * cols] + 0.5 * data[i * cols + 1] * data[i * cols + 2] + 0.3 * rng.nextFloat();
    labels[i] = Math.abs(signal) < 0.25 ? 2 : signal > 0 ? 0 : 1;
  }
  const x = { kind: "dense" as const, rows, cols, data };
  const learner: GbdtOptions = { maxRounds: rounds, earlyStoppingRounds: 0, maxDepth: options.maxDepth ?? 3, seed: options.seed ?? 0 };
  const cpu0 = cpuSeconds();
  const t0 = performance.now();
  const model = GradientBoostedTrees.train(x, labels, 3, learner);
  const trainSeconds = (performance.now() - t0) / 1000;
  const cpu1 = cpuSeconds();
  const t1 = performance.now();
  model.predictProba(x);
  const predictSeconds = (performance.now() - t1) / 1000;
  return {
    rows,
    features: cols,
    classes: 3,
    rounds: model.rounds,
    trees: model.rounds * 3,
    trainSeconds,
    trainCpuSeconds: cpu0 === null || cpu1 === null ? null : cpu1 - cpu0,
    rowsPerSecond: rows / trainSeconds,
    rowRoundsPerSecond: (rows * model.rounds) / trainSeconds,
    predictSeconds,
    finalTrainLoss: model.history.trainLoss[model.history.trainLoss.length - 1],
  };
}

/** Process CPU time in seconds; null outside Node (the package's main entry also runs in browsers). */
function cpuSeconds(): number | null {
  const usage = (globalThis as { process?: { cpuUsage?: () => { user: number; system: number } } }).process?.cpuUsage?.();
  return usage ? (usage.user + usage.system) / 1e6 : null;
}
