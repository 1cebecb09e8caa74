import type { CompiledGraph } from "../executor.js";
import type { Feeds } from "../host-tensor.js";
import type { TrainableParameter } from "../models/llama/graph.js";
import { padBatch, sequentialBatches } from "./batching.js";
import { batchFeeds } from "./batch-feeds.js";
import type { EncodedExamples } from "./examples.js";
import type { TrainedParameters } from "./lora-parameters.js";

/** Options of `predictLogits`. */
export interface PredictBatchOptions {
  /** Rows per forward pass. Defaults to `16`. */
  readonly batchSize?: number;
  /** Token id of padding. */
  readonly padTokenId: number;
  /** Round padded lengths up to a multiple of this. Defaults to `1`. */
  readonly padToMultipleOf?: number;
}

/**
 * Logits `[examples, classes]` in example order. Examples are batched longest first, so each batch pads to a
 * similar length; the results are written back at each example's own index.
 */
export async function predictLogits(
  compiled: CompiledGraph,
  examples: Pick<EncodedExamples, "sequences" | "lengths">,
  params: TrainedParameters,
  trainable: readonly TrainableParameter[],
  classes: number,
  options: PredictBatchOptions,
): Promise<Float32Array> {
  const count = examples.sequences.length;
  const order = Int32Array.from({ length: count }, (_, i) => i).sort((a, b) => examples.lengths[b] - examples.lengths[a] || a - b);
  const out = new Float32Array(count * classes);
  const paramFeeds = parameterFeeds(params, trainable);
  for (const rows of sequentialBatches(order, options.batchSize ?? 16)) {
    const batch = padBatch(examples.sequences, rows, { padTokenId: options.padTokenId, padToMultipleOf: options.padToMultipleOf });
    const result = await compiled.run({ ...batchFeeds(batch, false), ...paramFeeds });
    const logits = result.logits.data as Float32Array;
    rows.forEach((row, b) => out.set(logits.subarray(b * classes, (b + 1) * classes), row * classes));
  }
  return out;
}

/** Feeds of the trainable inputs, in the graph's layout. */
export function parameterFeeds(params: TrainedParameters, trainable: readonly TrainableParameter[]): Feeds {
  const feeds: Record<string, Feeds[string]> = {};
  for (const { key, tensor } of trainable) {
    const data = params.get(key);
    if (!data) throw new Error(`no value for trainable input ${key}`);
    feeds[key] = { data, shape: tensor.shape.map(Number) };
  }
  return feeds;
}
