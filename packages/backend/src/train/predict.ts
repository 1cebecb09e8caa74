import type { LoraAdapter } from "@lora-litee/lora";
import { Executor, type CompiledGraph, type Device } from "../executor.js";
import { Graph } from "../graph.js";
import type { Feeds } from "../host-tensor.js";
import type { TrainableParameter } from "../models/architecture.js";
import { architectureOf } from "../models/architecture-of.js";
import { ModelConfigError } from "../models/config-error.js";
import type { HfModel } from "../models/hf-model.js";
import { planLora } from "../models/lora-targets.js";
import { padBatch, sequentialBatches, type PaddedBatch } from "./batching.js";
import { DoraNorms } from "./dora-norms.js";
import type { EncodedExamples } from "./examples.js";
import { AdapterMismatchError, fromAdapter, type TrainedParameters } from "./lora-parameters.js";
import { averageWithSwapped, softmaxRows } from "./metrics.js";

/** Examples that cannot be predicted as given; says why. */
export class PredictionError extends Error {
  override readonly name = "PredictionError";
}

/** Options of `predictProbabilities`. */
export interface PredictOptions {
  /** Rows per forward pass. Defaults to `16`. */
  readonly batchSize?: number;
  /** Execution provider. Defaults to `"cpu"`. */
  readonly device?: Device;
  /** Threads per op; 0 lets onnxruntime pick. Defaults to `0`. */
  readonly threads?: number;
}

/**
 * Class probabilities `[rows, classes]` of the model with `adapter`, one row per source row of `examples`. When
 * `examples` holds swapped copies (`encodeExamples(…, { swap: true })`), each row averages its two orientations
 * (swap test-time averaging, 3 classes A/B/tie).
 */
export async function predictProbabilities(model: HfModel, adapter: LoraAdapter, examples: EncodedExamples, options: PredictOptions = {}): Promise<Float64Array> {
  const architecture = architectureOf(model);
  const { classes, padTokenId } = architecture;
  if (padTokenId === null) throw new ModelConfigError("config.json", "pad_token_id", "must be set for batched prediction");
  const plan = planLora(architecture, adapter.config);
  const params = fromAdapter(plan, adapter);
  const graph = new Graph();
  const classifier = architecture.build(graph, { lora: plan, maxSeq: Math.max(1, ...examples.lengths) });
  const executor = new Executor({ device: options.device ?? "cpu", intraOpNumThreads: options.threads ?? 0 });
  try {
    const compiled = await executor.compile(graph, { logits: classifier.logits });
    const norms = await DoraNorms.create(executor, model.weights, plan);
    const feeds = { ...parameterFeeds(params, classifier.trainable), ...(await norms.feeds(params)) };
    const logits = await predictLogits(compiled, examples, feeds, classes, { padTokenId, batchSize: options.batchSize, batchFeeds: architecture.feeds });
    const probabilities = softmaxRows(logits, classes);
    return gatherBySource(probabilities, examples, classes);
  } finally {
    await executor.release();
  }
}

/** Rows by source row; originals and swapped copies of one source row averaged. */
function gatherBySource(probabilities: Float64Array, examples: EncodedExamples, classes: number): Float64Array {
  const rows = Math.max(-1, ...examples.sourceRows) + 1;
  const original = new Float64Array(rows * classes);
  const swapped = new Float64Array(rows * classes);
  const seen = new Uint8Array(rows);
  examples.sourceRows.forEach((row, i) => {
    (examples.swapped[i] ? swapped : original).set(probabilities.subarray(i * classes, (i + 1) * classes), row * classes);
    seen[row] |= examples.swapped[i] ? 2 : 1;
  });
  if (seen.every((flags) => flags === 1)) return original;
  if (classes !== 3 || !seen.every((flags) => flags === 3)) {
    throw new PredictionError("swap averaging needs every row in both orientations and 3 classes (A, B, tie)");
  }
  return averageWithSwapped(original, swapped);
}

/** Options of `predictLogits`. */
export interface PredictBatchOptions {
  /** Rows per forward pass. Defaults to `16`. */
  readonly batchSize?: number;
  /** Token id of padding. */
  readonly padTokenId: number;
  /** Round padded lengths up to a multiple of this. Defaults to `1`. */
  readonly padToMultipleOf?: number;
  /** The graph's inputs for a padded batch (see `Architecture.feeds`). */
  readonly batchFeeds: (batch: PaddedBatch) => Feeds;
}

/**
 * Logits `[examples, classes]` in example order. Examples are batched longest first, so each batch pads to a
 * similar length; the results are written back at each example's own index.
 */
export async function predictLogits(
  compiled: CompiledGraph,
  examples: Pick<EncodedExamples, "sequences" | "lengths">,
  paramFeeds: Feeds,
  classes: number,
  options: PredictBatchOptions,
): Promise<Float32Array> {
  const count = examples.sequences.length;
  const order = Int32Array.from({ length: count }, (_, i) => i).sort((a, b) => examples.lengths[b] - examples.lengths[a] || a - b);
  const out = new Float32Array(count * classes);
  for (const rows of sequentialBatches(order, options.batchSize ?? 16)) {
    const batch = padBatch(examples.sequences, rows, { padTokenId: options.padTokenId, padToMultipleOf: options.padToMultipleOf });
    const result = await compiled.run({ ...options.batchFeeds(batch), ...paramFeeds });
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
    if (!data) throw new AdapterMismatchError(`no value for trainable input ${key}`);
    feeds[key] = { data, shape: tensor.shape.map(Number) };
  }
  return feeds;
}
