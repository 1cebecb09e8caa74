import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { float32ToHalf, serializeSafetensors, type Tensor as StoredTensor } from "@lora-litee/lora";
import { copyTokenizerFiles } from "./tokenizer-files.js";

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
  await writeFile(join(dir, "config.json"), `${JSON.stringify(configJson, null, 2)}\n`);
  await writeFile(join(dir, "model.safetensors"), serializeSafetensors(tensors, { format: "pt" }));
  const tokenizerFiles = await copyTokenizerFiles(tokenizerDir, dir);
  return { files: ["config.json", "model.safetensors", ...tokenizerFiles], parameters };
}
