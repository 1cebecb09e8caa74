import { mkdir, open, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { LoraAdapter } from "@lora-litee/lora";
import { loadAdapter, writeFileAtomic } from "@lora-litee/lora/node";
import { Graph } from "../graph.js";
import { buildBertClassifier } from "../models/bert/graph.js";
import { architectureOf } from "../models/architecture-of.js";
import { ModelConfigError } from "../models/config-error.js";
import { buildGemma2Classifier } from "../models/gemma2/graph.js";
import { loadHfModel } from "../models/hf-model.js";
import { buildLlamaClassifier } from "../models/llama/graph.js";
import { copyTokenizerFiles } from "../models/tokenizer-files.js";
import { positionsOf } from "../nn/attention.js";
import { serializeGraph } from "../onnx/serialize.js";
import { cast, mul, reduceMax } from "../ops/index.js";
import { mergedWeights } from "./merge-adapter.js";
import { quantizeMatMulWeights } from "./quantize.js";

/**
 * A trained adapter folded into its base model and written as one self-contained inference graph, in the folder
 * layout transformers.js and Optimum use: `onnx/model.onnx` (+ `onnx/model.onnx_data` for big models),
 * `config.json` and the tokenizer files. The graph's contract is the one those tools expect of a sequence
 * classifier: int64 `input_ids` and `attention_mask` `[batch, seq]` in, float32 `logits` `[batch, classes]` out —
 * nothing of ours is needed to run it.
 */

/** Options of `exportOnnx`. */
export interface ExportOptions {
  /** Fold the LoRA update into the base weights (W + s·B·A, DoRA's rescaled rows) with `@lora-litee/lora`'s `merge`; only merged export exists. Defaults to `true`. */
  readonly merge?: boolean;
  /** Move weights to `onnx/model.onnx_data` (protobuf caps one file at 2 GiB); `"auto"` does so past 1 GiB of weights (1.9 GiB when quantizing). Defaults to `"auto"`. */
  readonly externalData?: boolean | "auto";
  /** `"int8"`: MatMul weights stored int8 per output column, activations quantized at run time (see `quantizeMatMulWeights`); needs the weights inline. Defaults to `null`. */
  readonly quantize?: "int8" | null;
}

/** What `exportOnnx` wrote. */
export interface ExportResult {
  /** Files written, relative to the output folder. */
  readonly files: readonly string[];
  /** LoRA layers folded into base weights. */
  readonly mergedLayers: number;
  /** Bytes of float32 weights in the graph (before any quantization). */
  readonly weightBytes: number;
  /** MatMul weights stored as int8. */
  readonly quantizedMatMuls: number;
}

/** An export request that cannot be honoured; says which option and why. */
export class ExportOptionError extends Error {
  override readonly name = "ExportOptionError";
}

/** Path of the graph inside an export folder. */
export const EXPORTED_MODEL_FILE = "onnx/model.onnx";

const EXTERNAL_DATA_FILE = "model.onnx_data";
const AUTO_EXTERNAL_BYTES = 2 ** 30;
/** Below protobuf's 2 GiB message cap with room for the graph itself. */
const INLINE_LIMIT_BYTES = 1.9 * 2 ** 30;

/**
 * Merges the PEFT adapter in `adapterDir` (null: none) into the HF model in `modelDir` and writes the ONNX export
 * folder `out`. Llama-family models (llama, mistral, qwen2) and Gemma-2 take int64 `input_ids` and `attention_mask`;
 * BERT encoders also `token_type_ids`, as transformers.js' `BertForSequenceClassification` feeds them.
 */
export async function exportOnnx(modelDir: string, adapterDir: string | null, out: string, options: ExportOptions = {}): Promise<ExportResult> {
  if (options.merge === false) throw new ExportOptionError("merge: false — only merged export is supported (the LoRA update is folded into the weights)");
  const config = await readConfig(modelDir);
  const adapter = adapterDir === null ? null : await loadAdapter(adapterDir);
  const built = await buildFamilyGraph(modelDir, adapter, adapterDir ?? "");
  const weightBytes = built.weightBytes;
  // int8 shrinks the MatMul weights 4× after serialization, so it may stay inline up to protobuf's own limit
  const autoLimit = options.quantize ? INLINE_LIMIT_BYTES : AUTO_EXTERNAL_BYTES;
  const external = options.externalData === "auto" || options.externalData === undefined ? weightBytes > autoLimit : options.externalData;
  if (external && options.quantize) throw new ExportOptionError(`quantize: "int8" needs the weights inline, but externalData is on (${weightBytes} bytes of weights)`);
  const serialized = serializeGraph(built.graph, { outputs: { logits: built.logits }, ...(external ? { externalDataLocation: EXTERNAL_DATA_FILE } : {}) });
  const quantized = options.quantize === "int8" ? quantizeMatMulWeights(serialized.model) : null;

  await mkdir(join(out, "onnx"), { recursive: true });
  const files = [EXPORTED_MODEL_FILE];
  if (serialized.externalData) {
    await writeParts(join(out, "onnx", EXTERNAL_DATA_FILE), serialized.externalData.parts);
    files.push(`onnx/${EXTERNAL_DATA_FILE}`);
  } else {
    await rm(join(out, "onnx", EXTERNAL_DATA_FILE), { force: true });
  }
  await writeFileAtomic(join(out, EXPORTED_MODEL_FILE), quantized?.model ?? serialized.model);
  await writeFile(join(out, "config.json"), `${JSON.stringify(exportedConfig(config), null, 2)}\n`);
  files.push("config.json", ...(await copyTokenizerFiles(modelDir, out)));
  return { files, mergedLayers: adapter?.layers.size ?? 0, weightBytes, quantizedMatMuls: quantized?.quantized ?? 0 };
}

/** HF class-name prefix of each exportable `model_type`. */
const FAMILY_PREFIX: Readonly<Record<string, string>> = { llama: "Llama", mistral: "Mistral", qwen2: "Qwen2", gemma2: "Gemma2", bert: "Bert" };

/** The family's classifier over merged weights, its logits and the bytes of float32 weights. */
async function buildFamilyGraph(modelDir: string, adapter: LoraAdapter | null, adapterDir: string) {
  const model = await loadHfModel(modelDir);
  const weights = adapter ? mergedWeights(model, adapter, adapterDir) : model.weights;
  const head = architectureOf(model).head;
  if (!head.tensors.every((t) => weights.has(t.key))) throw new ExportOptionError(`${modelDir}: the model has no ${head.module} head and no adapter brings one`);
  const weightBytes = [...weights.values()].reduce((sum, w) => sum + w.data.byteLength, 0);
  const graph = new Graph();
  switch (model.family) {
    case "bert":
      return { graph, logits: buildBertClassifier(graph, model.config, weights).logits, weightBytes };
    case "gemma2":
      return { graph, logits: buildGemma2Classifier(graph, model.config, weights, { derivedInputs: derivedMaskInputs(graph) }).logits, weightBytes };
    case "llama":
      return { graph, logits: buildLlamaClassifier(graph, model.config, weights, { derivedInputs: derivedMaskInputs(graph) }).logits, weightBytes };
  }
}

/**
 * The decoders' float mask and pooled position, derived from an int64 `attention_mask` input: the pooled position
 * is the last one the mask keeps, which is HF's "last non-pad token" for right padding.
 */
function derivedMaskInputs(graph: Graph) {
  const mask = graph.input("attention_mask", "int64", ["batch", "seq"]);
  return graph.scope("pool", () => {
    const attentionMask = cast(graph, mask, "float32");
    const positions = cast(graph, positionsOf(graph, mask), "float32");
    const lastPositions = cast(graph, reduceMax(graph, mul(graph, attentionMask, positions), [1]), "int64");
    return { attentionMask, lastPositions };
  });
}

async function readConfig(modelDir: string): Promise<Record<string, unknown>> {
  const path = join(modelDir, "config.json");
  try {
    return JSON.parse(await readFile(path, "utf8")) as Record<string, unknown>;
  } catch (error) {
    throw new ModelConfigError(path, "(file)", `cannot be read as JSON: ${(error as Error).message}`);
  }
}

/** The model's config.json as a classifier's (`architectures` set so loaders pick the sequence-classification head). */
function exportedConfig(json: Record<string, unknown>): Record<string, unknown> {
  const family = String(json.model_type);
  return { ...json, architectures: [`${FAMILY_PREFIX[family] ?? family}ForSequenceClassification`] };
}

async function writeParts(path: string, parts: readonly Uint8Array[]): Promise<void> {
  const file = await open(path, "w");
  try {
    for (const part of parts) await file.write(part);
  } finally {
    await file.close();
  }
}
