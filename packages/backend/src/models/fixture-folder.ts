import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { float32ToHalf, serializeSafetensors, type Tensor as StoredTensor } from "@lora-litee/lora";
import { copyTokenizerFiles } from "./tokenizer-files.js";

/** The labels of the Chatbot Arena preference task, in Kaggle's column order. */
export const ARENA_LABELS = ["winner_model_a", "winner_model_b", "winner_tie"] as const;

/** A fixture option outside what a model can have; names the option and the value. */
export class FixtureOptionError extends Error {
  override readonly name = "FixtureOptionError";
}

/** Options every family's fixture writer takes. */
export interface FixtureSizeOptions {
  /** Folder holding `tokenizer.json` (and its config); it sets the vocabulary size and the special ids. */
  readonly tokenizerDir: string;
  /** `hidden_size`. Defaults to `64`. */
  readonly hidden?: number;
  /** `num_hidden_layers`. Defaults to `2`. */
  readonly layers?: number;
  /** `num_attention_heads`. Defaults to `4`. */
  readonly heads?: number;
  /** `intermediate_size`. Defaults to `128`. */
  readonly intermediate?: number;
  /** Seed of the weights. Defaults to `0`. */
  readonly seed?: number;
  /** Storage dtype of the weights, as `torch_dtype` says. Defaults to `"F32"`. */
  readonly dtype?: "F32" | "F16" | "BF16";
  /** Labels of the classification head. Defaults to `ARENA_LABELS`. */
  readonly labels?: readonly string[];
}

const TORCH_DTYPES = { F32: "float32", F16: "float16", BF16: "bfloat16" } as const;

/** `value` when it is an integer ≥ 1; a `FixtureOptionError` naming `option` otherwise. */
export function fixtureSize(option: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new FixtureOptionError(`${option} must be an integer ≥ 1, got ${value}`);
  return value;
}

/** The config.json fields every family's fixture shares (sizes, label maps, `torch_dtype`), validated, with their defaults. */
export function commonConfigFields(options: FixtureSizeOptions): Record<string, unknown> {
  const labels = options.labels ?? ARENA_LABELS;
  return {
    hidden_size: fixtureSize("hidden", options.hidden ?? 64),
    num_hidden_layers: fixtureSize("layers", options.layers ?? 2),
    num_attention_heads: fixtureSize("heads", options.heads ?? 4),
    intermediate_size: fixtureSize("intermediate", options.intermediate ?? 128),
    id2label: Object.fromEntries(labels.map((label, i) => [String(i), label])),
    label2id: Object.fromEntries(labels.map((label, i) => [label, i])),
    torch_dtype: TORCH_DTYPES[options.dtype ?? "F32"],
  };
}

/** How one family's fixture weights are made. */
export interface FixtureWeights {
  /** Every HF key and its shape, in the order the random values are drawn. */
  readonly shapes: Iterable<readonly [string, number[]]>;
  /** Fills one tensor's values in place (norm gains, N(0, 0.02²) for linears, zeros for biases…). */
  readonly init: (name: string, values: Float32Array) => void;
  /** The token embedding table, whose pad row is zeroed as HF's init does (no row when `padTokenId` is null). */
  readonly embedding: { readonly key: string; readonly padTokenId: number | null; readonly hidden: number };
  /** Storage dtype of every tensor. */
  readonly dtype: "F32" | "F16" | "BF16";
}

/**
 * Writes a fixture model folder in the Hugging Face layout: `config.json`, `model.safetensors` and the tokenizer
 * files copied from `tokenizerDir`. Shared by every family's fixture writer; returns the files and the parameter count.
 */
export async function writeFixtureFolder(
  dir: string,
  configJson: Record<string, unknown>,
  tokenizerDir: string,
  weights: FixtureWeights,
): Promise<{ files: string[]; parameters: number }> {
  const { key, padTokenId, hidden } = weights.embedding;
  const tensors = new Map<string, StoredTensor>();
  let parameters = 0;
  for (const [name, shape] of weights.shapes) {
    const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
    weights.init(name, values);
    if (name === key && padTokenId !== null) values.fill(0, padTokenId * hidden, (padTokenId + 1) * hidden);
    parameters += values.length;
    const dtype = weights.dtype;
    tensors.set(name, dtype === "F32" ? { dtype, shape, data: values } : { dtype, shape, data: float32ToHalf(values, dtype) });
  }
  await mkdir(dir, { recursive: true });
  // keys sorted, as transformers' save_pretrained writes them
  const sorted = Object.fromEntries(Object.entries(configJson).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  await writeFile(join(dir, "config.json"), `${JSON.stringify(sorted, null, 2)}\n`);
  await writeFile(join(dir, "model.safetensors"), serializeSafetensors(tensors, { format: "pt" }));
  const tokenizerFiles = await copyTokenizerFiles(tokenizerDir, dir);
  return { files: ["config.json", "model.safetensors", ...tokenizerFiles], parameters };
}
