import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { formatPair, type PreferenceRow } from "@lora-litee/data";
import { loadTokenizer } from "@lora-litee/data/node";
import { Rng, parseLoraConfig } from "@lora-litee/lora";
import { saveAdapter } from "@lora-litee/lora/node";
import * as ort from "onnxruntime-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXPORTED_MODEL_FILE, exportOnnx } from "../src/export/merged-onnx.js";
import { architectureOf } from "../src/models/architecture-of.js";
import { writeBertFixture } from "../src/models/bert/model.js";
import { writeGemma2Fixture } from "../src/models/gemma2/model.js";
import { loadHfModel } from "../src/models/hf-model.js";
import { planLora } from "../src/models/lora-targets.js";
import { initialParameters, toAdapter } from "../src/train/lora-parameters.js";
import { predictProbabilities } from "../src/train/predict.js";

/** docs/guides/serving.md's snippet, run on exports of a Gemma-2 and a BERT fixture: it predicts what our predictor does. */

const guide = fileURLToPath(new URL("../../../docs/guides/serving.md", import.meta.url));
const shared = fileURLToPath(new URL("../../../../shared/tokenizers/", import.meta.url));
let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "serving-guide-"));
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** The guide's code from the tokenizer on, with `dir` for `served/gemma`. */
async function guideProbabilities(dir: string, row: Pick<PreferenceRow, "prompt" | "responseA" | "responseB">): Promise<number[]> {
  const tokenizer = await loadTokenizer(dir);
  const session = await ort.InferenceSession.create(join(dir, EXPORTED_MODEL_FILE));
  const { inputIds } = formatPair(row, "arena", tokenizer, { maxLength: 512 });
  const ids = new ort.Tensor("int64", BigInt64Array.from(inputIds, BigInt), [1, inputIds.length]);
  const mask = new ort.Tensor("int64", new BigInt64Array(inputIds.length).fill(1n), [1, inputIds.length]);
  const feeds: Record<string, ort.Tensor> = { input_ids: ids, attention_mask: mask };
  if (session.inputNames.includes("token_type_ids")) feeds.token_type_ids = new ort.Tensor("int64", new BigInt64Array(inputIds.length), [1, inputIds.length]);
  const logits = (await session.run(feeds)).logits.data as Float32Array;
  await session.release();
  const top = Math.max(...logits);
  const exps = Array.from(logits, (z) => Math.exp(z - top));
  return exps.map((e) => e / exps.reduce((a, b) => a + b, 0));
}

describe("the serving guide", () => {
  it("shows the code this test runs", async () => {
    const text = await readFile(guide, "utf8");
    for (const line of [
      'const { inputIds } = formatPair(row, "arena", tokenizer, { maxLength: 512 });',
      'const ids = new ort.Tensor("int64", BigInt64Array.from(inputIds, BigInt), [1, inputIds.length]);',
      'const mask = new ort.Tensor("int64", new BigInt64Array(inputIds.length).fill(1n), [1, inputIds.length]);',
      'if (session.inputNames.includes("token_type_ids")) feeds.token_type_ids = new ort.Tensor("int64", new BigInt64Array(inputIds.length), [1, inputIds.length]);',
      "const probabilities = exps.map((e) => e / exps.reduce((a, b) => a + b, 0)); // [A wins, B wins, tie]",
    ]) {
      expect(text).toContain(line);
    }
  });

  it.each([
    ["gemma2", (dir: string) => writeGemma2Fixture(dir, { tokenizerDir: join(shared, "llama"), hidden: 32, layers: 2, heads: 4, kvHeads: 2, headDim: 8, intermediate: 48, seed: 4 })],
    ["bert", (dir: string) => writeBertFixture(dir, { tokenizerDir: join(shared, "bert-minilm"), hidden: 32, layers: 2, heads: 4, intermediate: 48, seed: 4 })],
  ] as const)("serves a %s export as the predictor predicts", async (name, write) => {
    const modelDir = join(root, name);
    await write(modelDir);
    const model = await loadHfModel(modelDir);
    const lora = parseLoraConfig({ r: 4, lora_alpha: 8, target_modules: "all-linear", task_type: "SEQ_CLS" });
    const plan = planLora(architectureOf(model), lora);
    const rng = new Rng(3);
    const params = initialParameters(plan, lora, model.weights, rng);
    for (const [key, value] of params) if (key.endsWith("lora_B.weight")) rng.fillNormal(value, 0.2);
    const adapter = toAdapter(plan, lora, params);
    await saveAdapter(join(root, `${name}-adapter`), adapter);
    const served = join(root, `${name}-served`);
    await exportOnnx(modelDir, join(root, `${name}-adapter`), served);

    const row = { prompt: ["Name a prime."], responseA: ["7"], responseB: ["It is 9."] };
    const tokenizer = await loadTokenizer(modelDir);
    const { inputIds } = formatPair(row, "arena", tokenizer, { maxLength: 512 });
    const examples = { sequences: [inputIds], labels: Int32Array.of(-1), lengths: Int32Array.of(inputIds.length), sourceRows: Int32Array.of(0), swapped: Uint8Array.of(0), truncatedTokens: 0, truncatedExamples: 0 };
    const expected = await predictProbabilities(model, adapter, examples, { threads: 1 });
    const got = await guideProbabilities(served, row);
    got.forEach((p, c) => expect(p).toBeCloseTo(expected[c], 5));
  });
});
