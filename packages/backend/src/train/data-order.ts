import { Rng } from "@lora-litee/lora";
import { lengthGroupedBatches, sequentialBatches } from "./batching.js";

/**
 * The order in which a run visits its examples. Each epoch's batches are a pure function of (seed, epoch), so the
 * only thing a checkpoint has to remember is a `DataPosition`; a resumed run rebuilds the same batches.
 */

/** Options of the data order. */
export interface DataOrderOptions {
  /** Seed of the shuffles; each epoch draws from its own stream derived from it. */
  readonly seed: number;
  /** Rows per micro-batch. */
  readonly batchSize: number;
  /** Group rows of similar length into batches (less padding). Defaults to `true`. */
  readonly groupByLength?: boolean;
  /** Batches per sorted megabatch when grouping by length. Defaults to HF's `min(⌊rows / (4·batchSize)⌋, 50)`. */
  readonly megabatchMultiplier?: number;
}

/** Where a run stands in its data: the next micro-batch to feed. */
export interface DataPosition {
  /** Epoch, from 0. */
  readonly epoch: number;
  /** Index of the next batch within the epoch. */
  readonly batch: number;
}

/** The batches (row indices) of `epoch`. */
export function epochBatches(lengths: ArrayLike<number>, epoch: number, options: DataOrderOptions): Int32Array[] {
  const permutation = Int32Array.from({ length: lengths.length }, (_, i) => i);
  const rng = new Rng(epochSeed(options.seed, epoch));
  for (let i = permutation.length - 1; i > 0; i--) {
    const j = rng.nextUint32() % (i + 1);
    const tmp = permutation[i];
    permutation[i] = permutation[j];
    permutation[j] = tmp;
  }
  if (options.groupByLength ?? true) {
    return lengthGroupedBatches(lengths, permutation, { batchSize: options.batchSize, megabatchMultiplier: options.megabatchMultiplier });
  }
  return sequentialBatches(permutation, options.batchSize);
}

/** The position after feeding the batch at `position`. */
export function advancePosition(position: DataPosition, batchesPerEpoch: number): DataPosition {
  return position.batch + 1 < batchesPerEpoch ? { epoch: position.epoch, batch: position.batch + 1 } : { epoch: position.epoch + 1, batch: 0 };
}

/** Independent 32-bit seeds per epoch: a murmur3 finaliser over (seed, epoch), so nearby seeds do not share streams. */
function epochSeed(seed: number, epoch: number): number {
  return mix32((seed >>> 0) ^ mix32((epoch + 0x632be5ab) >>> 0));
}

function mix32(value: number): number {
  let z = value >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}
