import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseSafetensors, serializeSafetensors } from "@lora-litee/lora";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Executor } from "../../executor.js";
import { Graph } from "../../graph.js";
import { buildGemma2Classifier } from "./graph.js";
import { loadGemma2Model, writeGemma2Fixture } from "./model.js";
import { gemma2ReferenceForward } from "./reference.js";

const tokenizerDir = fileURLToPath(new URL("../../../../../../shared/tokenizers/llama/", import.meta.url));
let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "gemma2-fixture-"));
  await writeGemma2Fixture(join(root, "model"), { tokenizerDir, hidden: 32, layers: 2, heads: 4, kvHeads: 2, headDim: 8, intermediate: 48, slidingWindow: 4, seed: 7, normNoise: 0.3 });
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe("writeGemma2Fixture / loadGemma2Model", () => {
  it("writes a folder whose graph matches the float64 reference", async () => {
    const model = await loadGemma2Model(join(root, "model"));
    expect(model.hasHead).toBe(true);
    expect(JSON.parse(await readFile(join(root, "model/config.json"), "utf8"))).toMatchObject({ model_type: "gemma2", query_pre_attn_scalar: 8, sliding_window: 4, pad_token_id: 0 });
    const ids = [1, 450, 4996, 17354, 1701, 432, 975, 975, 29889, 2];
    const seq = ids.length;
    const g = new Graph();
    const classifier = buildGemma2Classifier(g, model.config, model.weights, { maxSeq: seq });
    const executor = new Executor({ intraOpNumThreads: 1 });
    try {
      const compiled = await executor.compile(g, { logits: classifier.logits });
      const result = await compiled.run({
        input_ids: { data: BigInt64Array.from(ids.map(BigInt)), shape: [1, seq] },
        attention_mask: { data: new Float32Array(seq).fill(1), shape: [1, seq] },
        last_positions: { data: BigInt64Array.from([BigInt(seq - 1)]), shape: [1] },
      });
      const weights64 = new Map([...model.weights].map(([k, w]) => [k, Float64Array.from(w.data)]));
      const ref = gemma2ReferenceForward(model.config, weights64, { batch: 1, seq, inputIds: Int32Array.from(ids), attentionMask: new Uint8Array(seq).fill(1), pooled: Int32Array.from([seq - 1]) });
      const logits = result.logits.data as Float32Array;
      for (let i = 0; i < 3; i++) expect(logits[i]).toBeCloseTo(ref[i], 5);
    } finally {
      await executor.release();
    }
  });

  it("loads a causal-LM checkpoint (no score head, lm_head ignored)", async () => {
    const dir = join(root, "causal");
    await writeGemma2Fixture(dir, { tokenizerDir, hidden: 32, layers: 2, heads: 4, kvHeads: 2, headDim: 8, intermediate: 48 });
    const tensors = parseSafetensors(new Uint8Array(await readFile(join(dir, "model.safetensors")))).tensors;
    const score = tensors.get("score.weight")!;
    tensors.delete("score.weight");
    tensors.set("lm_head.weight", { ...score, shape: [1, 32], data: new Float32Array(32) });
    await writeFile(join(dir, "model.safetensors"), serializeSafetensors(tensors, { format: "pt" }));
    const model = await loadGemma2Model(dir);
    expect(model.hasHead).toBe(false);
    expect(model.weights.has("model.layers.1.pre_feedforward_layernorm.weight")).toBe(true);
  });
});
