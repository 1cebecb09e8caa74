import type { Feeds } from "../host-tensor.js";
import { BatchError, type PaddedBatch } from "./batching.js";

/** The decoders' feeds (Llama family, Gemma-2): int64 ids, a float32 mask and the pooled position of each row. */
export function decoderBatchFeeds(batch: PaddedBatch): Feeds {
  return {
    input_ids: { data: toInt64(batch.inputIds), shape: [batch.batch, batch.seq] },
    attention_mask: { data: Float32Array.from(batch.attentionMask), shape: [batch.batch, batch.seq] },
    last_positions: { data: toInt64(batch.lastPositions), shape: [batch.batch] },
  };
}

/** An encoder's feeds (BERT), as HF's exports take them: int64 ids, mask and token types (one segment: all 0). */
export function encoderBatchFeeds(batch: PaddedBatch): Feeds {
  const shape = [batch.batch, batch.seq];
  return {
    input_ids: { data: toInt64(batch.inputIds), shape },
    attention_mask: { data: toInt64(Int32Array.from(batch.attentionMask)), shape },
    token_type_ids: { data: new BigInt64Array(batch.batch * batch.seq), shape },
  };
}

/** The `labels` feed of a training batch. */
export function labelFeeds(batch: PaddedBatch): Feeds {
  if (!batch.labels) throw new BatchError("a training batch needs labels; pass them to padBatch");
  return { labels: { data: toInt64(batch.labels), shape: [batch.batch] } };
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
