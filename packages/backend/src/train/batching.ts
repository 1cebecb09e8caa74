/**
 * Batches of tokenized pairs: grouped by length so that each batch pads little (Hugging Face's
 * `get_length_grouped_indices`), then padded on the right to the longest row of the batch only.
 */

/** A batch ready for the model, `[batch, seq]` row-major. */
export interface PaddedBatch {
  /** Token ids, padded on the right with the pad id. */
  readonly inputIds: Int32Array;
  /** 1 for real tokens, 0 for padding. */
  readonly attentionMask: Uint8Array;
  /** Rows in the batch. */
  readonly batch: number;
  /** Padded length of every row. */
  readonly seq: number;
  /** Indices of the rows in the dataset, in batch order. */
  readonly rows: Int32Array;
  /** Index of each row's last real token (length − 1), the position the classifier pools. */
  readonly lastPositions: Int32Array;
  /** Class label of each row, when labels were given. */
  readonly labels: Int32Array | null;
}

/** Options of `padBatch`. */
export interface PadOptions {
  /** Token id written into padding. */
  readonly padTokenId: number;
  /** Rounds the padded length up to a multiple of this (8 suits matrix kernels). Defaults to `1`. */
  readonly padToMultipleOf?: number;
}

/** A batch row that cannot be padded (empty, or not an id sequence). */
export class BatchError extends Error {
  override readonly name = "BatchError";
}

/**
 * Pads `sequences[rows[i]]` to the longest among them. `lastPositions` is length − 1 per row; HF pools the last
 * token that is not the pad id, which agrees unless a sequence itself ends with the pad id — so pick a pad id that
 * the formatted text never ends with (Llama fixtures pad with `<unk>`, not `</s>`).
 */
export function padBatch(
  sequences: readonly ArrayLike<number>[],
  rows: Int32Array,
  options: PadOptions,
  labels?: ArrayLike<number>,
): PaddedBatch {
  const multiple = options.padToMultipleOf ?? 1;
  if (!Number.isInteger(multiple) || multiple < 1) throw new BatchError(`padToMultipleOf must be an integer ≥ 1, got ${multiple}`);
  let longest = 0;
  for (const row of rows) {
    const sequence = sequences[row];
    if (!sequence || sequence.length === 0) throw new BatchError(`row ${row} has no tokens; every row needs at least one`);
    longest = Math.max(longest, sequence.length);
  }
  const seq = Math.ceil(longest / multiple) * multiple;
  const batch = rows.length;
  const inputIds = new Int32Array(batch * seq).fill(options.padTokenId);
  const attentionMask = new Uint8Array(batch * seq);
  const lastPositions = new Int32Array(batch);
  for (let b = 0; b < batch; b++) {
    const sequence = sequences[rows[b]];
    inputIds.set(sequence, b * seq);
    attentionMask.fill(1, b * seq, b * seq + sequence.length);
    lastPositions[b] = sequence.length - 1;
  }
  const batchLabels = labels ? Int32Array.from(rows, (row) => labels[row]) : null;
  return { inputIds, attentionMask, batch, seq, rows: Int32Array.from(rows), lastPositions, labels: batchLabels };
}

/** Options of `lengthGroupedBatches`. */
export interface LengthGroupingOptions {
  /** Rows per batch; the last batch may be shorter. */
  readonly batchSize: number;
  /** Batches per sorted "megabatch" (HF's `mega_batch_mult`). Defaults to `min(⌊rows / (4·batchSize)⌋, 50)`, at least 1. */
  readonly megabatchMultiplier?: number;
}

/**
 * Splits a shuffled order into batches of similar length: cut `permutation` into megabatches of
 * `megabatchMultiplier · batchSize` rows, sort each by length (longest first), cut into batches, and move the
 * longest row of all into the first batch so a run that runs out of memory does so at once (as HF does).
 */
export function lengthGroupedBatches(
  lengths: ArrayLike<number>,
  permutation: Int32Array,
  options: LengthGroupingOptions,
): Int32Array[] {
  const { batchSize } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new BatchError(`batchSize must be an integer ≥ 1, got ${batchSize}`);
  const multiplier = options.megabatchMultiplier ?? Math.max(1, Math.min(Math.floor(permutation.length / (4 * batchSize)), 50));
  const megabatchSize = multiplier * batchSize;
  const order = Int32Array.from(permutation);
  let longestMegabatchStart = 0;
  for (let start = 0; start < order.length; start += megabatchSize) {
    const megabatch = order.subarray(start, Math.min(start + megabatchSize, order.length));
    // stable sort on (length desc, position in the permutation) keeps the order a pure function of the inputs
    const sorted = Array.from(megabatch).sort((a, b) => lengths[b] - lengths[a]);
    megabatch.set(sorted);
    if (lengths[megabatch[0]] > lengths[order[longestMegabatchStart]]) longestMegabatchStart = start;
  }
  const first = order[0];
  order[0] = order[longestMegabatchStart];
  order[longestMegabatchStart] = first;
  return chunk(order, batchSize);
}

/** Consecutive batches of `batchSize` in the given order (no grouping). */
export function sequentialBatches(order: Int32Array, batchSize: number): Int32Array[] {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new BatchError(`batchSize must be an integer ≥ 1, got ${batchSize}`);
  return chunk(order, batchSize);
}

function chunk(order: Int32Array, size: number): Int32Array[] {
  const batches: Int32Array[] = [];
  for (let start = 0; start < order.length; start += size) batches.push(order.slice(start, start + size));
  return batches;
}
