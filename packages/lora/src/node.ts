// Node-only entry of @lora-litee/lora: file I/O (adapter directories, safetensors files by slices, shards).
export { saveAdapter, loadAdapter } from "./node/adapter-dir.js";
export { openSafetensors, readSafetensorsFile } from "./node/safetensors-file.js";
export { readShardedSafetensors, writeShardedSafetensors, parseShardIndex } from "./node/sharded.js";
export { writeFileAtomic } from "./node/atomic-write.js";

export type { LoadAdapterOptions } from "./node/adapter-dir.js";
export type { SafetensorsFile } from "./node/safetensors-file.js";
