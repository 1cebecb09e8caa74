import { mkdir, open, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { merge, type LoraAdapter } from "@lora-litee/lora";
import { loadAdapter, writeFileAtomic } from "@lora-litee/lora/node";
import { Graph } from "../graph.js";
import { loadHfModel, type HfModel, type HfWeight } from "../models/hf-model.js";
import { buildLlamaClassifier } from "../models/llama/graph.js";
import { planLora } from "../models/llama/lora-targets.js";
import { copyTokenizerFiles } from "../models/tokenizer-files.js";
import { positionsOf } from "../nn/attention.js";
import { serializeGraph } from "../onnx/serialize.js";
import { cast, mul, reduceMax } from "../ops/index.js";
import { AdapterMismatchError, fromAdapter } from "../train/lora-parameters.js";
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
  /** Move weights to `onnx/model.onnx_data` (protobuf caps one file at 2 GiB); `"auto"` does so past 1 GiB of weights. Defaults to `"auto"`. */
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

/** Merges the PEFT adapter in `adapterDir` into the HF model in `modelDir` and writes the ONNX export folder `out`. */
export async function exportOnnx(modelDir: string, adapterDir: string, out: string, options: ExportOptions = {}): Promise<ExportResult> {
  if (options.merge === false) throw new ExportOptionError("merge: false — only merged export is supported (the LoRA update is folded into the weights)");
  const [model, adapter] = await Promise.all([loadHfModel(modelDir), loadAdapter(adapterDir)]);
  const weights = mergedWeights(model, adapter, adapterDir);
  const { graph, logits } = buildExportGraph(model, weights);
  const weightBytes = [...weights.values()].reduce((sum, w) => sum + w.data.byteLength, 0);
  const external = options.externalData === "auto" || options.externalData === undefined ? weightBytes > AUTO_EXTERNAL_BYTES : options.externalData;
  if (external && options.quantize) throw new ExportOptionError(`quantize: "int8" needs the weights inline, but externalData is on (${weightBytes} bytes of weights)`);
  const serialized = serializeGraph(graph, { outputs: { logits }, ...(external ? { externalDataLocation: EXTERNAL_DATA_FILE } : {}) });
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
  await writeFile(join(out, "config.json"), `${JSON.stringify(await exportedConfig(modelDir), null, 2)}\n`);
  files.push("config.json", ...(await copyTokenizerFiles(modelDir, out)));
  return { files, mergedLayers: adapter.layers.size, weightBytes, quantizedMatMuls: quantized?.quantized ?? 0 };
}

/** The base weights with every LoRA layer merged and the trained head in place of `score.weight`. */
export function mergedWeights(model: HfModel, adapter: LoraAdapter, source = "(adapter)"): Map<string, HfWeight> {
  const { config } = model;
  const plan = planLora(config, adapter.config);
  // Checks targets, ranks and the head against the model before anything is merged.
  fromAdapter(plan, adapter, config.labels.length, config.hiddenSize);
  const weights = new Map(model.weights);
  for (const target of plan.targets) {
    const key = `${target.path}.weight`;
    const base = model.weights.get(key)!;
    const data = Float32Array.from(base.data);
    merge(data, adapter.layers.get(target.path)!, plan.scale, { safe: true, layer: `${source}: ${target.path}` });
    weights.set(key, { shape: base.shape, data });
  }
  const head = adapter.modulesToSave.get("score.weight");
  if (!head) throw new AdapterMismatchError(`${source}: adapter has no score.weight under modules_to_save`);
  weights.set("score.weight", { shape: head.shape, data: Float32Array.from(head.data as ArrayLike<number>) });
  return weights;
}

/**
 * The plain classifier over `weights` with the tools' input contract: the float mask and the pooled position are
 * derived from the int64 `attention_mask` — the pooled position is the last one the mask keeps, which is HF's
 * "last non-pad token" for right padding and stays right under left padding.
 */
function buildExportGraph(model: HfModel, weights: ReadonlyMap<string, HfWeight>) {
  const graph = new Graph();
  const mask = graph.input("attention_mask", "int64", ["batch", "seq"]);
  const derived = graph.scope("pool", () => {
    const attentionMask = cast(graph, mask, "float32");
    const positions = cast(graph, positionsOf(graph, mask), "float32");
    const lastPositions = cast(graph, reduceMax(graph, mul(graph, attentionMask, positions), [1]), "int64");
    return { attentionMask, lastPositions };
  });
  const classifier = buildLlamaClassifier(graph, model.config, weights, { derivedInputs: derived });
  return { graph, logits: classifier.logits };
}

/** The model's config.json as a classifier's (`architectures` set so loaders pick the sequence-classification head). */
async function exportedConfig(modelDir: string): Promise<Record<string, unknown>> {
  const json = JSON.parse(await readFile(join(modelDir, "config.json"), "utf8")) as Record<string, unknown>;
  const family = String(json.model_type);
  const prefix = { llama: "Llama", mistral: "Mistral", qwen2: "Qwen2" }[family] ?? family;
  return { ...json, architectures: [`${prefix}ForSequenceClassification`] };
}

async function writeParts(path: string, parts: readonly Uint8Array[]): Promise<void> {
  const file = await open(path, "w");
  try {
    for (const part of parts) await file.write(part);
  } finally {
    await file.close();
  }
}
