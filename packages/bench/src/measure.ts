/** Options of {@link measure}. */
export interface MeasureOptions {
  /** Untimed runs before the timed ones (JIT, ORT session warm-up, page faults). Defaults to `1`. */
  warmup?: number;
  /** Timed runs; the median is reported. Defaults to `5`. */
  repeats?: number;
}

/** Timings of repeated runs of one piece of work, in milliseconds. */
export interface Timing {
  /** Median wall time of the timed runs. */
  medianMs: number;
  /** Fastest timed run. */
  minMs: number;
  /** Slowest timed run. */
  maxMs: number;
  /** (max − min) / median: how noisy the runs were. */
  spread: number;
  /** Every timed run, in order. */
  samplesMs: number[];
}

/** Times `work` after warm-up runs; `work` may be async. */
export async function measure(work: () => unknown, options: MeasureOptions = {}): Promise<Timing> {
  const warmup = options.warmup ?? 1;
  const repeats = options.repeats ?? 5;
  if (!Number.isInteger(repeats) || repeats < 1) throw new RangeError(`measure: repeats must be an integer ≥ 1, got ${repeats}`);
  for (let i = 0; i < warmup; i++) await work();
  const samplesMs: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    await work();
    samplesMs.push(performance.now() - start);
  }
  return summarise(samplesMs);
}

/** Median, extremes and relative spread of a list of timings. */
export function summarise(samplesMs: readonly number[]): Timing {
  if (samplesMs.length === 0) throw new RangeError("summarise: no samples");
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const medianMs = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  const minMs = sorted[0];
  const maxMs = sorted[sorted.length - 1];
  return { medianMs, minMs, maxMs, spread: medianMs > 0 ? (maxMs - minMs) / medianMs : 0, samplesMs: [...samplesMs] };
}
