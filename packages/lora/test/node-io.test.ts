import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  loadAdapter,
  openSafetensors,
  readSafetensorsFile,
  readShardedSafetensors,
  saveAdapter,
  writeShardedSafetensors,
} from "../src/node.js";
import {
  ADAPTER_CONFIG_NAME,
  ADAPTER_WEIGHTS_NAME,
  AdapterShapeError,
  initLoraLayer,
  parseLoraConfig,
  Rng,
  SafetensorsError,
  SafetensorsHeaderError,
  serializeSafetensors,
  type LoraAdapter,
  type Tensor,
} from "../src/index.js";
import { craft } from "./craft.js";
import { randomArray } from "./reference.js";

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "lora-test-"));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

function adapter(): LoraAdapter {
  const config = parseLoraConfig({ r: 4, lora_alpha: 8, use_dora: true, target_modules: ["q_proj"], base_model_name_or_path: "tiny" });
  const rng = new Rng(11);
  const layers = new Map();
  for (let i = 0; i < 2; i++) {
    const { lora } = initLoraLayer({ inFeatures: 8, outFeatures: 8, weight: randomArray(i, 64) }, config, rng);
    lora.B.set(randomArray(10 + i, 32));
    layers.set(`model.layers.${i}.self_attn.q_proj`, lora);
  }
  return { config, layers, modulesToSave: new Map([["score.weight", { dtype: "F32", shape: [3, 8], data: randomArray(5, 24) } as Tensor<"F32">]]) };
}

describe("adapter directories", () => {
  it("saveAdapter → loadAdapter → saveAdapter gives bit-identical files, and no temp files remain", async () => {
    const first = await tempDir();
    const second = await tempDir();
    const original = adapter();
    await saveAdapter(first, original);
    const loaded = await loadAdapter(first);
    const q = loaded.layers.get("model.layers.1.self_attn.q_proj")!;
    const q0 = original.layers.get("model.layers.1.self_attn.q_proj")!;
    expect(q.A).toEqual(q0.A);
    expect(q.B).toEqual(q0.B);
    expect(q.magnitude).toEqual(q0.magnitude);
    await saveAdapter(second, loaded);
    for (const name of [ADAPTER_CONFIG_NAME, ADAPTER_WEIGHTS_NAME]) {
      expect(await readFile(join(second, name))).toEqual(await readFile(join(first, name)));
    }
    expect((await readdir(first)).sort()).toEqual([ADAPTER_CONFIG_NAME, ADAPTER_WEIGHTS_NAME]);
  });

  it("checks shapes against a model config.json given by path", async () => {
    const dir = await tempDir();
    await saveAdapter(dir, adapter());
    const config = join(dir, "config.json");
    await writeFile(config, JSON.stringify({ model_type: "llama", hidden_size: 8, intermediate_size: 16, num_attention_heads: 2, num_hidden_layers: 2, num_labels: 3 }));
    await expect(loadAdapter(dir, { model: config })).resolves.toBeTruthy();
    await writeFile(config, JSON.stringify({ model_type: "llama", hidden_size: 8, intermediate_size: 16, num_attention_heads: 2, num_hidden_layers: 1, num_labels: 3 }));
    await expect(loadAdapter(dir, { model: config })).rejects.toThrow(/model\.layers\.1\.self_attn\.q_proj\.lora_A\.weight": names no linear module/);
    await writeFile(config, JSON.stringify({ model_type: "llama", hidden_size: 8, intermediate_size: 16, num_attention_heads: 2, num_hidden_layers: 2, num_labels: 5 }));
    await expect(loadAdapter(dir, { model: config })).rejects.toThrow(AdapterShapeError);
  });
});

describe("safetensors files by slices", () => {
  it("reads only the tensors asked for, each from its byte range", async () => {
    const dir = await tempDir();
    const path = join(dir, "m.safetensors");
    await writeFile(path, serializeSafetensors({
      a: { dtype: "F32", shape: [3], data: new Float32Array([1, 2, 3]) },
      b: { dtype: "BF16", shape: [2], data: new Uint16Array([0x3f80, 0x4000]) },
      c: { dtype: "I64", shape: [1], data: new BigInt64Array([42n]) },
    }));
    const { tensors } = await readSafetensorsFile(path, { names: ["b", "c"], upcastHalf: true });
    expect([...tensors.keys()]).toEqual(["b", "c"]);
    expect([...tensors.get("b")!.data]).toEqual([1, 2]);
    expect([...tensors.get("c")!.data]).toEqual([42n]);
    const file = await openSafetensors(path);
    await expect(file.read("zzz")).rejects.toThrow(/no tensor named "zzz"/);
    await file.close();
  });

  it("raises typed errors on a corrupt file without reading its data", async () => {
    const dir = await tempDir();
    const path = join(dir, "bad.safetensors");
    await writeFile(path, craft({ w: { dtype: "F32", shape: [1], data_offsets: [0, 4] } }, new Uint8Array(4), { headerLength: 4096 }));
    await expect(readSafetensorsFile(path)).rejects.toThrow(SafetensorsHeaderError);
    await expect(readSafetensorsFile(path)).rejects.toThrow(/bad\.safetensors: header length 4096 runs past the end/);
  });
});

describe("sharded checkpoints", () => {
  it("writes shards plus model.safetensors.index.json and reads them back", async () => {
    const dir = await tempDir();
    const tensors = new Map<string, Tensor>();
    for (let i = 0; i < 5; i++) tensors.set(`layers.${i}.weight`, { dtype: "F32", shape: [4, 4], data: randomArray(i, 16) });
    const files = await writeShardedSafetensors(dir, tensors, 140);
    expect(files).toEqual(["model-00001-of-00003.safetensors", "model-00002-of-00003.safetensors", "model-00003-of-00003.safetensors"]);
    const index = JSON.parse(await readFile(join(dir, "model.safetensors.index.json"), "utf8"));
    expect(index.metadata.total_size).toBe(5 * 64);
    const back = await readShardedSafetensors(dir);
    for (const [name, t] of tensors) expect(back.get(name)!.data).toEqual(t.data);
  });

  it("raises when the index and the shards disagree", async () => {
    const dir = await tempDir();
    await writeShardedSafetensors(dir, new Map([["a", { dtype: "F32", shape: [1], data: new Float32Array(1) } as Tensor]]), 1000);
    const indexPath = join(dir, "model.safetensors.index.json");
    await writeFile(indexPath, JSON.stringify({ weight_map: { a: "model-00001-of-00001.safetensors", b: "model-00001-of-00001.safetensors" } }));
    await expect(readShardedSafetensors(indexPath)).rejects.toThrow(/index lists tensor "b"/);
    await writeFile(indexPath, JSON.stringify({ weight_map: { a: "../escape.safetensors" } }));
    await expect(readShardedSafetensors(dir)).rejects.toThrow(SafetensorsError);
  });
});
