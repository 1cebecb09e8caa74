import type { Feeds } from "../host-tensor.js";
import { BatchError, type PaddedBatch } from "./batching.js";

/** The classifier's feeds for a padded batch (and its labels when training). */
export function batchFeeds(batch: PaddedBatch, withLabels: boolean): Feeds {
  const feeds: Record<string, Feeds[string]> = {
    input_ids: { data: toInt64(batch.inputIds), shape: [batch.batch, batch.seq] },
    attention_mask: { data: Float32Array.from(batch.attentionMask), shape: [batch.batch, batch.seq] },
    last_positions: { data: toInt64(batch.lastPositions), shape: [batch.batch] },
  };
  if (withLabels) {
    if (!batch.labels) throw new BatchError("a training batch needs labels; pass them to padBatch");
    feeds.labels = { data: toInt64(batch.labels), shape: [batch.batch] };
  }
  return feeds;
}

/** Int32 → int64 through a little-endian word view: no BigInt per element. */
function toInt64(values: Int32Array): BigInt64Array {
  const words = new Int32Array(values.length * 2);
  for (let i = 0; i < values.length; i++) {
    words[2 * i] = values[i];
    words[2 * i + 1] = values[i] < 0 ? -1 : 0;
  }
  return new BigInt64Array(words.buffer);
}
