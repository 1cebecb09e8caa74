import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { halfToFloat32, parseSafetensors, type Tensor as StoredTensor } from "@lora-litee/lora";
import { readShardedSafetensors } from "@lora-litee/lora/node";

/**
 * The weights of a HF model folder checked against the key set its config implies — shared by the families whose
 * loaders live beside their graphs (BERT, Gemma-2).
 */

/** One weight, upcast to float32, row-major. */
export interface HfWeight {
  /** Dimensions, outermost first. */
  readonly shape: readonly number[];
  /** The values. */
  readonly data: Float32Array;
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

/** How a family's checkpoints name their tensors. */
export interface KeyLayout {
  /** Every key the classifier needs, with its shape; the head keys may be absent (a base checkpoint). */
  readonly expected: ReadonlyMap<string, readonly number[]>;
  /** Keys of the classification head; when the files lack them the caller initialises a fresh head. */
  readonly headKeys: readonly string[];
  /** Maps a stored key to the classifier's (e.g. adds `bert.` to a bare `BertModel` file's keys). */
  readonly rename: (key: string) => string;
  /** Stored keys that are read and then not used (`lm_head.weight`, position-id buffers). */
  readonly ignored: readonly RegExp[];
}

/** Loaded weights and what the files held besides. */
export interface LoadedWeights {
  readonly weights: ReadonlyMap<string, HfWeight>;
  /** Whether every head key was in the files. */
  readonly hasHead: boolean;
  /** Stored keys matched by `layout.ignored`. */
  readonly ignoredKeys: readonly string[];
  /** The stored dtypes found (`F32`, `BF16`…), before upcasting, sorted. */
  readonly storedDtypes: readonly string[];
}

/** Reads `model.safetensors` (or the shards of `model.safetensors.index.json`) of `dir`, upcast to float32. */
export async function readHfWeights(dir: string, layout: KeyLayout): Promise<LoadedWeights> {
  const tensors = await readTensors(dir);
  const weights = new Map<string, HfWeight>();
  const ignoredKeys: string[] = [];
  const unexpected: string[] = [];
  const mismatched: string[] = [];
  const storedDtypes = new Set<string>();
  // keys present but mis-shaped are reported as mismatched, not also as missing
  const found = new Set<string>();
  for (const [rawKey, tensor] of tensors) {
    if (layout.ignored.some((pattern) => pattern.test(rawKey))) {
      ignoredKeys.push(rawKey);
      continue;
    }
    const key = layout.rename(rawKey);
    const shape = layout.expected.get(key);
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
  const hasHead = layout.headKeys.every((key) => weights.has(key));
  const missing = [...layout.expected.keys()].filter((key) => !found.has(key) && !(layout.headKeys.includes(key) && !hasHead));
  if (missing.length || unexpected.length || mismatched.length) throw new ModelWeightsError(dir, missing, unexpected, mismatched);
  return { weights, hasHead, ignoredKeys, storedDtypes: [...storedDtypes].sort() };
}

async function readTensors(dir: string): Promise<Map<string, StoredTensor>> {
  const single = join(dir, "model.safetensors");
  const bytes = await readFile(single).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return null;
    throw error;
  });
  if (bytes === null) return readShardedSafetensors(dir);
  return parseSafetensors(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), { file: single }).tensors;
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

/** The first keys of a long list, for error messages. */
function preview(keys: readonly string[]): string {
  return keys.length <= 8 ? keys.join(", ") : `${keys.slice(0, 8).join(", ")}, … (${keys.length - 8} more)`;
}
