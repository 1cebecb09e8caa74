import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { halfToFloat32, parseSafetensors, type Tensor as StoredTensor } from "@lora-litee/lora";
import { parseLlamaConfig, type LlamaConfig } from "./llama/config.js";
import { llamaWeightShapes } from "./llama/weights.js";
import { readConfigJson } from "./config-json.js";

/**
 * Reads a Hugging Face model folder (`config.json` + `model.safetensors`, or shards listed in
 * `model.safetensors.index.json`) into float32 weights keyed by HF names, checking the key set against what the
 * config implies. Accepts `LlamaForSequenceClassification`, `LlamaForCausalLM` and bare `LlamaModel` files.
 */

/** One weight, upcast to float32, row-major. */
export interface HfWeight {
  /** Dimensions, outermost first. */
  readonly shape: readonly number[];
  /** The values. */
  readonly data: Float32Array;
}

/** A loaded model folder. */
export interface HfModel {
  /** The parsed config. */
  readonly config: LlamaConfig;
  /** Every weight of `LlamaForSequenceClassification`, by HF key (`score.weight` only when the files had it). */
  readonly weights: ReadonlyMap<string, HfWeight>;
  /** Whether the files held a trained `score` head; a causal-LM checkpoint has none and the caller initialises it. */
  readonly hasHead: boolean;
  /** Keys present in the files that a classifier does not use (`lm_head.weight`, rotary `inv_freq` buffers). */
  readonly ignoredKeys: readonly string[];
  /** The stored dtypes found (`F32`, `BF16`…), before upcasting. */
  readonly storedDtypes: readonly string[];
}

/** A model folder whose files do not match its config: lists missing, unexpected and mis-shaped keys. */
export class ModelWeightsError extends Error {
  override readonly name = "ModelWeightsError";
  constructor(
    /** The model folder. */
    readonly dir: string,
    /** Keys the config implies that no file has. */
    readonly missing: readonly string[],
    /** Keys in the files the architecture has no place for. */
    readonly unexpected: readonly string[],
    /** `key: [file shape] vs [expected shape]` for keys present with the wrong shape or dtype. */
    readonly mismatched: readonly string[],
  ) {
    const parts = [
      missing.length ? `missing ${missing.length}: ${preview(missing)}` : "",
      unexpected.length ? `unexpected ${unexpected.length}: ${preview(unexpected)}` : "",
      mismatched.length ? `mismatched ${mismatched.length}: ${preview(mismatched)}` : "",
    ].filter(Boolean);
    super(`${dir}: weights do not match config.json — ${parts.join("; ")}`);
  }
}

/** Keys a classifier loads from a causal-LM or older checkpoint and then does not use. */
const IGNORED = [/^lm_head\.weight$/, /\.rotary_emb\.inv_freq$/];

/** Loads `dir`; weights in F16/BF16/F64 are upcast (or cast) to float32. */
export async function loadHfModel(dir: string): Promise<HfModel> {
  const { path: configPath, json } = await readConfigJson(dir);
  const config = parseLlamaConfig(json, configPath);
  const expected = llamaWeightShapes(config);
  const weights = new Map<string, HfWeight>();
  const ignoredKeys: string[] = [];
  const unexpected: string[] = [];
  const mismatched: string[] = [];
  const storedDtypes = new Set<string>();
  const found = new Set<string>();

  for (const file of await weightFiles(dir)) {
    const path = join(dir, file);
    const parsed = parseSafetensors(new Uint8Array(await readFile(path)), { file: path });
    for (const [rawKey, tensor] of parsed.tensors) {
      const key = hfKey(rawKey);
      if (IGNORED.some((pattern) => pattern.test(key))) {
        ignoredKeys.push(rawKey);
        continue;
      }
      const shape = expected.get(key);
      if (!shape) {
        unexpected.push(rawKey);
        continue;
      }
      found.add(key);
      const data = toFloat32(tensor);
      if (!data || tensor.shape.length !== shape.length || tensor.shape.some((n, i) => n !== shape[i])) {
        mismatched.push(`${rawKey}: ${tensor.dtype}[${tensor.shape.join(", ")}] vs float[${shape.join(", ")}]`);
        continue;
      }
      storedDtypes.add(tensor.dtype);
      weights.set(key, { shape: tensor.shape, data });
    }
  }
  const hasHead = weights.has("score.weight");
  const missing = [...expected.keys()].filter((key) => !found.has(key) && key !== "score.weight");
  if (missing.length || unexpected.length || mismatched.length) throw new ModelWeightsError(dir, missing, unexpected, mismatched);
  return { config, weights, hasHead, ignoredKeys, storedDtypes: [...storedDtypes].sort() };
}

/** `model.safetensors`, else the shards named by `model.safetensors.index.json` (each once, in index order). */
async function weightFiles(dir: string): Promise<string[]> {
  const indexPath = join(dir, "model.safetensors.index.json");
  const indexText = await readFile(indexPath, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return null;
    throw error;
  });
  if (indexText === null) return ["model.safetensors"];
  const index = JSON.parse(indexText) as { weight_map?: Record<string, unknown> };
  if (typeof index.weight_map !== "object" || index.weight_map === null) {
    throw new ModelWeightsError(dir, [], [], [`${indexPath}: no "weight_map" object`]);
  }
  const shards = [...new Set(Object.values(index.weight_map))];
  const bad = shards.filter((shard) => typeof shard !== "string" || shard.includes("/") || shard.includes(".."));
  if (bad.length) throw new ModelWeightsError(dir, [], [], [`${indexPath}: shard names must be plain file names, got ${JSON.stringify(bad)}`]);
  return shards as string[];
}

/** A bare `LlamaModel` file has no `model.` prefix; give it one so every layout maps to the classifier's keys. */
function hfKey(key: string): string {
  return /^(embed_tokens|layers|norm)\./.test(key) ? `model.${key}` : key;
}

/** Float weights as float32 (half floats upcast exactly, F64 rounded); null for integer tensors. */
function toFloat32(tensor: StoredTensor): Float32Array | null {
  switch (tensor.dtype) {
    case "F32":
      return tensor.data as Float32Array;
    case "F16":
    case "BF16":
      return halfToFloat32(tensor.data as Uint16Array, tensor.dtype);
    case "F64":
      return Float32Array.from(tensor.data as Float64Array);
    default:
      return null;
  }
}

function preview(keys: readonly string[]): string {
  return keys.length <= 8 ? keys.join(", ") : `${keys.slice(0, 8).join(", ")}, … (${keys.length - 8} more)`;
}
