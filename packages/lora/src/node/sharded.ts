/**
 * Sharded safetensors checkpoints: model.safetensors.index.json maps each tensor name to the shard file that holds
 * it (`{"metadata": {"total_size": …}, "weight_map": {name: "model-00001-of-00002.safetensors"}}`).
 */
import { mkdir, readFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { SAFETENSORS_INDEX_NAME } from "../constants.js";
import { SafetensorsError, SafetensorsHeaderError } from "../errors.js";
import { DTYPES, type Tensor } from "../safetensors/dtypes.js";
import type { ReadOptions } from "../safetensors/parse.js";
import { serializeSafetensors } from "../safetensors/serialize.js";
import { writeFileAtomic } from "./atomic-write.js";
import { openSafetensors } from "./safetensors-file.js";

/** Parses and checks an index file's JSON: a weight_map of tensor name → shard file name in the same directory. */
export function parseShardIndex(text: string, path: string): Map<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new SafetensorsHeaderError(`index is not valid JSON (${(e as Error).message})`, path);
  }
  const map = (parsed as { weight_map?: unknown } | null)?.weight_map;
  if (typeof map !== "object" || map === null || Array.isArray(map)) throw new SafetensorsHeaderError("index has no weight_map object", path);
  const out = new Map<string, string>();
  for (const [name, file] of Object.entries(map)) {
    if (typeof file !== "string" || file !== basename(file) || file === ".." || file === ".") {
      throw new SafetensorsHeaderError(`weight_map["${name}"] = ${JSON.stringify(file)}; expected a file name in the index's directory`, path);
    }
    out.set(name, file);
  }
  return out;
}

/**
 * Reads a sharded checkpoint from its index file (or a directory holding model.safetensors.index.json). Each
 * shard is opened once and only its listed tensors are read; a listed tensor missing from its shard, or a shard
 * tensor the index does not list, raises.
 */
export async function readShardedSafetensors(indexOrDir: string, options: ReadOptions = {}): Promise<Map<string, Tensor>> {
  const indexPath = indexOrDir.endsWith(".json") ? indexOrDir : join(indexOrDir, SAFETENSORS_INDEX_NAME);
  const weightMap = parseShardIndex(await readFile(indexPath, "utf8"), indexPath);
  const byShard = new Map<string, string[]>();
  for (const [name, shard] of weightMap) byShard.set(shard, [...(byShard.get(shard) ?? []), name]);
  const tensors = new Map<string, Tensor>();
  for (const [shard, names] of byShard) {
    const file = await openSafetensors(join(dirname(indexPath), shard));
    try {
      const present = new Set(file.header.tensors.map((t) => t.name));
      for (const name of names) {
        if (!present.has(name)) throw new SafetensorsError(`index lists tensor "${name}" in this shard but it is not there`, file.path);
      }
      for (const name of present) {
        if (weightMap.get(name) !== shard) throw new SafetensorsError(`tensor "${name}" is not listed for this shard in ${SAFETENSORS_INDEX_NAME}`, file.path);
      }
      for (const name of names) tensors.set(name, await file.read(name, options));
    } finally {
      await file.close();
    }
  }
  return tensors;
}

/**
 * Writes tensors as shards of at most `maxShardBytes` of data each (a larger tensor gets a shard of its own),
 * named model-0000i-of-0000n.safetensors, plus the index. Every file is written atomically.
 */
export async function writeShardedSafetensors(dir: string, tensors: ReadonlyMap<string, Tensor>, maxShardBytes: number): Promise<string[]> {
  if (!(maxShardBytes > 0)) throw new RangeError(`maxShardBytes ${maxShardBytes}; expected a positive number`);
  const shards: Map<string, Tensor>[] = [];
  let current = new Map<string, Tensor>();
  let bytes = 0;
  const names = [...tensors.keys()].sort();
  for (const name of names) {
    const t = tensors.get(name) as Tensor;
    const size = t.data.length * DTYPES[t.dtype].size;
    if (current.size > 0 && bytes + size > maxShardBytes) {
      shards.push(current);
      current = new Map();
      bytes = 0;
    }
    current.set(name, t);
    bytes += size;
  }
  if (current.size > 0) shards.push(current);
  await mkdir(dir, { recursive: true });
  const pad = (n: number) => String(n).padStart(5, "0");
  const weightMap: Record<string, string> = {};
  let total = 0;
  const files: string[] = [];
  for (const [i, shard] of shards.entries()) {
    const file = `model-${pad(i + 1)}-of-${pad(shards.length)}.safetensors`;
    await writeFileAtomic(join(dir, file), serializeSafetensors(shard, { format: "pt" }));
    for (const [name, t] of shard) {
      weightMap[name] = file;
      total += t.data.length * DTYPES[t.dtype].size;
    }
    files.push(file);
  }
  const index = { metadata: { total_size: total }, weight_map: weightMap };
  await writeFileAtomic(join(dir, SAFETENSORS_INDEX_NAME), `${JSON.stringify(index, null, 2)}\n`);
  return files;
}
