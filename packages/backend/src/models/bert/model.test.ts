import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createTokenizer } from "@lora-litee/data";
import { parseSafetensors, serializeSafetensors, type Tensor as StoredTensor } from "@lora-litee/lora";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Executor } from "../../executor.js";
import { Graph } from "../../graph.js";
import { ModelWeightsError } from "../hf-files.js";
import { buildBertClassifier } from "./graph.js";
import { loadBertModel, writeBertFixture } from "./model.js";
import { bertReferenceForward } from "./reference.js";

const tokenizerDir = fileURLToPath(new URL("../../../../../../shared/tokenizers/bert-minilm/", import.meta.url));
let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "bert-fixture-"));
  await writeBertFixture(join(root, "model"), { tokenizerDir, hidden: 32, layers: 2, heads: 4, intermediate: 48, maxPositions: 64, seed: 5 });
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe("writeBertFixture / loadBertModel", () => {
  it("writes BertForSequenceClassification's config, keys and the WordPiece tokenizer", async () => {
    const dir = join(root, "model");
    expect((await readdir(dir)).sort()).toEqual(["config.json", "model.safetensors", "special_tokens_map.json", "tokenizer.json", "tokenizer_config.json", "vocab.txt"]);
    const json = JSON.parse(await readFile(join(dir, "config.json"), "utf8"));
    expect(json).toMatchObject({ model_type: "bert", architectures: ["BertForSequenceClassification"], vocab_size: 30522, pad_token_id: 0, hidden_size: 32 });
    const model = await loadBertModel(dir);
    expect(model.hasHead).toBe(true);
    expect(model.weights.get("bert.encoder.layer.1.attention.self.query.weight")!.shape).toEqual([32, 32]);
    expect(Array.from(model.weights.get("bert.embeddings.word_embeddings.weight")!.data.subarray(0, 32))).toEqual(new Array(32).fill(0));
  });

  it("runs a tokenized pair through the graph as the float64 reference does", async () => {
    const model = await loadBertModel(join(root, "model"));
    const tokenizer = createTokenizer(JSON.parse(await readFile(join(tokenizerDir, "tokenizer.json"), "utf8")), JSON.parse(await readFile(join(tokenizerDir, "tokenizer_config.json"), "utf8")));
    const a = tokenizer.encode("Which answer is better?");
    const b = tokenizer.encode("The first one, clearly.");
    const ids = [101, ...a, 102, ...b, 102];
    const types = ids.map((_, i) => (i <= a.length + 1 ? 0 : 1));
    const seq = ids.length;
    const g = new Graph();
    const classifier = buildBertClassifier(g, model.config, model.weights);
    const executor = new Executor({ intraOpNumThreads: 1 });
    try {
      const compiled = await executor.compile(g, { logits: classifier.logits });
      const int64 = (values: number[]) => ({ data: BigInt64Array.from(values.map(BigInt)), shape: [1, seq] });
      const result = await compiled.run({ input_ids: int64(ids), token_type_ids: int64(types), attention_mask: int64(ids.map(() => 1)) });
      const weights64 = new Map([...model.weights].map(([k, w]) => [k, Float64Array.from(w.data)]));
      const ref = bertReferenceForward(model.config, weights64, { batch: 1, seq, inputIds: Int32Array.from(ids), tokenTypeIds: Int32Array.from(types), attentionMask: new Uint8Array(seq).fill(1) });
      const logits = result.logits.data as Float32Array;
      for (let i = 0; i < 3; i++) expect(logits[i]).toBeCloseTo(ref[i], 6);
    } finally {
      await executor.release();
    }
  });

  it("reads a bare BertModel file (no bert. prefix, no head) and names missing keys", async () => {
    const dir = join(root, "bare");
    const source = parseSafetensors(new Uint8Array(await readFile(join(root, "model/model.safetensors")))).tensors;
    const bare = new Map<string, StoredTensor>();
    for (const [key, tensor] of source) if (!key.startsWith("classifier.")) bare.set(key.replace(/^bert\./, ""), tensor);
    await rm(dir, { recursive: true, force: true });
    await writeBertFixture(dir, { tokenizerDir, hidden: 32, layers: 2, heads: 4, intermediate: 48, maxPositions: 64 });
    await writeFile(join(dir, "model.safetensors"), serializeSafetensors(bare, { format: "pt" }));
    const model = await loadBertModel(dir);
    expect(model.hasHead).toBe(false);
    expect(model.weights.has("bert.pooler.dense.weight")).toBe(true);

    bare.delete("encoder.layer.1.output.LayerNorm.bias");
    await writeFile(join(dir, "model.safetensors"), serializeSafetensors(bare, { format: "pt" }));
    await expect(loadBertModel(dir)).rejects.toThrow(ModelWeightsError);
    await expect(loadBertModel(dir)).rejects.toThrow("missing 1: bert.encoder.layer.1.output.LayerNorm.bias");
  });
});
