import { cp, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseSafetensors, serializeSafetensors, type Tensor as StoredTensor } from "@lora-litee/lora";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FixtureOptionError } from "./fixture-folder.js";
import { writeFixture } from "./fixture.js";
import { ModelWeightsError } from "./hf-files.js";
import { loadLlamaModel as loadHfModel } from "./llama/model.js";
import { UnsupportedModelTypeError } from "./llama/config.js";
import { referenceForward } from "./llama/reference.js";

const llamaTokenizer = fileURLToPath(new URL("../../../../../shared/tokenizers/llama/", import.meta.url));
const sizes = { tokenizerDir: llamaTokenizer, hidden: 32, layers: 2, heads: 4, kvHeads: 2, intermediate: 48, seed: 3 };

let root: string;
let base: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "fixture-"));
  base = join(root, "base");
  await writeFixture(base, sizes);
});
afterAll(() => rm(root, { recursive: true, force: true }));

async function tensorsOf(dir: string): Promise<Map<string, StoredTensor>> {
  return parseSafetensors(new Uint8Array(await readFile(join(dir, "model.safetensors")))).tensors;
}

describe("writeFixture", () => {
  it("writes HF's config fields, HF key names and the tokenizer files", async () => {
    expect((await readdir(base)).sort()).toEqual(["config.json", "model.safetensors", "special_tokens_map.json", "tokenizer.json", "tokenizer_config.json"]);
    const config = JSON.parse(await readFile(join(base, "config.json"), "utf8"));
    expect(config).toMatchObject({
      architectures: ["LlamaForSequenceClassification"],
      model_type: "llama",
      hidden_size: 32,
      num_hidden_layers: 2,
      num_attention_heads: 4,
      num_key_value_heads: 2,
      head_dim: 8,
      intermediate_size: 48,
      vocab_size: 32000,
      pad_token_id: 0,
      bos_token_id: 1,
      eos_token_id: 2,
      id2label: { "0": "winner_model_a", "1": "winner_model_b", "2": "winner_tie" },
      label2id: { winner_model_a: 0, winner_model_b: 1, winner_tie: 2 },
      torch_dtype: "float32",
    });
    const tensors = await tensorsOf(base);
    expect(tensors.get("model.layers.0.self_attn.q_proj.weight")?.shape).toEqual([32, 32]);
    expect(tensors.get("model.layers.1.self_attn.k_proj.weight")?.shape).toEqual([16, 32]);
    expect(tensors.get("model.layers.1.mlp.down_proj.weight")?.shape).toEqual([32, 48]);
    expect(tensors.get("score.weight")?.shape).toEqual([3, 32]);
    expect(tensors.size).toBe(1 + 2 * 9 + 2);
  });

  it("draws N(0, 0.02²) weights, zeroes the pad embedding and sets norms to 1", async () => {
    const tensors = await tensorsOf(base);
    const embed = tensors.get("model.embed_tokens.weight")!.data as Float32Array;
    expect(Array.from(embed.subarray(0, 32))).toEqual(new Array(32).fill(0));
    const rest = embed.subarray(32);
    const mean = rest.reduce((a, b) => a + b, 0) / rest.length;
    const std = Math.sqrt(rest.reduce((a, b) => a + (b - mean) ** 2, 0) / rest.length);
    expect(Math.abs(mean)).toBeLessThan(1e-4);
    expect(std).toBeGreaterThan(0.0198);
    expect(std).toBeLessThan(0.0202);
    expect(Array.from(tensors.get("model.norm.weight")!.data as Float32Array)).toEqual(new Array(32).fill(1));
  });

  it("is deterministic in its seed", async () => {
    const again = join(root, "again");
    const other = join(root, "other");
    await writeFixture(again, sizes);
    await writeFixture(other, { ...sizes, seed: 4 });
    const bytes = (dir: string) => readFile(join(dir, "model.safetensors"));
    expect((await bytes(again)).equals(await bytes(base))).toBe(true);
    expect((await bytes(other)).equals(await bytes(base))).toBe(false);
  });

  it("refuses sizes no model can have, naming the option", async () => {
    await expect(writeFixture(join(root, "bad"), { ...sizes, kvHeads: 3 })).rejects.toThrow(/num_key_value_heads.*divide/);
    await expect(writeFixture(join(root, "bad"), { ...sizes, layers: 0 })).rejects.toThrow(new FixtureOptionError("layers must be an integer ≥ 1, got 0"));
    await expect(writeFixture(join(root, "bad"), { ...sizes, vocabSize: 100 })).rejects.toThrow(/smaller than the tokenizer's 32000/);
  });
});

describe("loadHfModel", () => {
  it("reads the fixture back exactly, with its head", async () => {
    const model = await loadHfModel(base);
    const tensors = await tensorsOf(base);
    expect(model.hasHead).toBe(true);
    expect(model.storedDtypes).toEqual(["F32"]);
    expect(model.weights.size).toBe(tensors.size);
    for (const [name, tensor] of tensors) expect(model.weights.get(name)?.data).toEqual(tensor.data);
    expect(model.config.labels).toEqual(["winner_model_a", "winner_model_b", "winner_tie"]);
  });

  it("upcasts bf16 and fp16 weights to float32 within their rounding", async () => {
    const f32 = await loadHfModel(base);
    for (const [dtype, tolerance] of [["BF16", 2 ** -8], ["F16", 2 ** -11]] as const) {
      const dir = join(root, dtype);
      await writeFixture(dir, { ...sizes, dtype });
      const model = await loadHfModel(dir);
      expect(model.storedDtypes).toEqual([dtype]);
      expect(model.config.storedDtype).toBe(dtype === "BF16" ? "bfloat16" : "float16");
      const a = f32.weights.get("model.layers.1.mlp.up_proj.weight")!.data;
      const b = model.weights.get("model.layers.1.mlp.up_proj.weight")!.data;
      // fp16 subnormals (|x| < 6.1e-5) have absolute, not relative, error
      for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThanOrEqual(Math.abs(a[i]) * tolerance + 6e-8);
    }
  });

  it("reads sharded folders through model.safetensors.index.json", async () => {
    const dir = join(root, "sharded");
    await cp(base, dir, { recursive: true });
    const tensors = [...(await tensorsOf(dir)).entries()];
    const half = Math.floor(tensors.length / 2);
    const shards = { "model-00001-of-00002.safetensors": tensors.slice(0, half), "model-00002-of-00002.safetensors": tensors.slice(half) };
    const weightMap: Record<string, string> = {};
    for (const [file, entries] of Object.entries(shards)) {
      await writeFile(join(dir, file), serializeSafetensors(new Map(entries)));
      for (const [name] of entries) weightMap[name] = file;
    }
    await rm(join(dir, "model.safetensors"));
    await writeFile(join(dir, "model.safetensors.index.json"), JSON.stringify({ metadata: {}, weight_map: weightMap }));
    const model = await loadHfModel(dir);
    expect(model.weights.size).toBe(tensors.length);
    expect(model.weights.get("model.norm.weight")?.data).toEqual((await loadHfModel(base)).weights.get("model.norm.weight")?.data);
  });

  it("loads a causal-LM checkpoint without a head, ignoring lm_head, and bare LlamaModel keys", async () => {
    const dir = join(root, "causal");
    await cp(base, dir, { recursive: true });
    const tensors = await tensorsOf(dir);
    const lmHead = { dtype: "F32" as const, shape: [32000, 32], data: new Float32Array(32000 * 32) };
    const renamed = new Map<string, StoredTensor>([["lm_head.weight", lmHead]]);
    for (const [name, tensor] of tensors) if (name !== "score.weight") renamed.set(name.replace(/^model\./, ""), tensor);
    await writeFile(join(dir, "model.safetensors"), serializeSafetensors(renamed));
    const model = await loadHfModel(dir);
    expect(model.hasHead).toBe(false);
    expect(model.ignoredKeys).toEqual(["lm_head.weight"]);
    expect(model.weights.has("model.layers.0.input_layernorm.weight")).toBe(true);
  });

  it("lists missing, unexpected and mis-shaped keys in one typed error", async () => {
    const dir = join(root, "broken");
    await cp(base, dir, { recursive: true });
    const tensors = await tensorsOf(dir);
    tensors.delete("model.layers.1.mlp.gate_proj.weight");
    tensors.set("model.layers.2.mlp.gate_proj.weight", tensors.get("model.layers.0.mlp.gate_proj.weight")!);
    tensors.set("model.norm.weight", { dtype: "F32", shape: [31], data: new Float32Array(31) });
    await writeFile(join(dir, "model.safetensors"), serializeSafetensors(tensors));
    const error = await loadHfModel(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelWeightsError);
    const weightsError = error as ModelWeightsError;
    expect(weightsError.missing).toEqual(["model.layers.1.mlp.gate_proj.weight"]);
    expect(weightsError.unexpected).toEqual(["model.layers.2.mlp.gate_proj.weight"]);
    expect(weightsError.mismatched).toEqual(["model.norm.weight: F32[31] vs float[32]"]);
    expect(weightsError.message).toContain(`${dir}: weights do not match config.json`);
  });

  it("raises the typed model_type error for an unsupported family", async () => {
    const dir = join(root, "gpt2");
    await cp(base, dir, { recursive: true });
    const config = JSON.parse(await readFile(join(dir, "config.json"), "utf8"));
    await writeFile(join(dir, "config.json"), JSON.stringify({ ...config, model_type: "gpt2" }));
    await expect(loadHfModel(dir)).rejects.toThrow(UnsupportedModelTypeError);
  });

  it("feeds the float64 reference: padding a row leaves its pooled logits unchanged", async () => {
    const model = await loadHfModel(base);
    const weights = new Map([...model.weights].map(([name, w]) => [name, Float64Array.from(w.data)]));
    const alone = referenceForward(model.config, weights, { inputIds: Int32Array.from([1, 450, 4996]), batch: 1, seq: 3 });
    const padded = referenceForward(model.config, weights, {
      inputIds: Int32Array.from([1, 450, 4996, 0, 0]),
      attentionMask: Uint8Array.from([1, 1, 1, 0, 0]),
      batch: 1,
      seq: 5,
    });
    for (let c = 0; c < 3; c++) expect(padded.logits[c]).toBeCloseTo(alone.logits[c], 12);
    expect(alone.logits.every(Number.isFinite)).toBe(true);
  });
});
