import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeFixture } from "@lora-litee/backend";
import { Rng, parseLoraConfig, parseSafetensors, serializeSafetensors, type LoraLayerWeights } from "@lora-litee/lora";
import { saveAdapter } from "@lora-litee/lora/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runLitee } from "../testing/run-litee.js";

// <repo root>/../shared
const llamaTokenizer = fileURLToPath(new URL("../../../../../shared/tokenizers/llama/", import.meta.url));
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "litee-export-"));
  const { config } = await writeFixture(join(root, "model"), { tokenizerDir: llamaTokenizer, hidden: 32, layers: 1, heads: 2, kvHeads: 1, intermediate: 64 });
  const rng = new Rng(1);
  const rank = 2;
  const layer = (out: number, inF: number): LoraLayerWeights => ({
    inFeatures: inF,
    outFeatures: out,
    r: rank,
    A: rng.fillNormal(new Float32Array(rank * inF), 0.1),
    B: rng.fillNormal(new Float32Array(out * rank), 0.1),
    magnitude: null,
  });
  await saveAdapter(join(root, "adapter"), {
    config: parseLoraConfig({ r: rank, lora_alpha: 4, target_modules: ["q_proj"], task_type: "SEQ_CLS", modules_to_save: ["score"] }),
    layers: new Map([["model.layers.0.self_attn.q_proj", layer(32, 32)]]),
    modulesToSave: new Map([["score.weight", { dtype: "F32", shape: [3, 32], data: rng.fillNormal(new Float32Array(3 * 32), 0.02) }]]),
  });
  expect(config.numHiddenLayers).toBe(1);
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe("litee export", () => {
  it("writes the merged export folder", async () => {
    const out = join(root, "served");
    const run = await runLitee("export", join(root, "model"), join(root, "adapter"), out);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("1 LoRA layers merged");
    expect(await readdir(join(out, "onnx"))).toEqual(["model.onnx"]);
    expect((await readdir(out)).sort()).toEqual(["config.json", "onnx", "special_tokens_map.json", "tokenizer.json", "tokenizer_config.json"]);
  });

  it("quantizes on request", async () => {
    const run = await runLitee("export", join(root, "model"), join(root, "adapter"), join(root, "served-int8"), "--quantize", "int8");
    expect(run).toMatchObject({ code: 0, stderr: "" });
    // q, o (32×32) and the three 32×64 MLP matrices; k and v (32×16) are below the 1024-value threshold
    expect(run.stdout).toContain("5 MatMul weights as int8");
    expect((await runLitee("export", join(root, "model"), join(root, "adapter"), join(root, "x"), "--quantize", "int4")).code).toBe(2);
  });

  it("exports a model with its own head when no adapter folder is given, and names a missing head", async () => {
    const run = await runLitee("export", join(root, "model"), join(root, "plain"));
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(run.stdout).toContain("0 LoRA layers merged");
    expect(await readdir(join(root, "plain", "onnx"))).toEqual(["model.onnx"]);
    // a causal-LM checkpoint: no score head
    await writeFixture(join(root, "headless"), { tokenizerDir: llamaTokenizer, hidden: 32, layers: 1, heads: 2, kvHeads: 1, intermediate: 64 });
    const tensors = parseSafetensors(new Uint8Array(await readFile(join(root, "headless", "model.safetensors")))).tensors;
    tensors.delete("score.weight");
    await writeFile(join(root, "headless", "model.safetensors"), serializeSafetensors(tensors, { format: "pt" }));
    const headless = await runLitee("export", join(root, "headless"), join(root, "x"));
    expect(headless.code).not.toBe(0);
    expect(headless.stderr).toContain("has no score head and no adapter brings one");
  });

  it("fails with a message naming the missing adapter folder", async () => {
    const run = await runLitee("export", join(root, "model"), join(root, "nope"), join(root, "x"));
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(join(root, "nope"));
  });
});
