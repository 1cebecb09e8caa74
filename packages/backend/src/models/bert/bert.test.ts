import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { Rng } from "@lora-litee/lora";
import { afterAll, describe, expect, it } from "vitest";
import { Executor } from "../../executor.js";
import { Graph } from "../../graph.js";
import type { HfWeight } from "../hf-files.js";
import { ModelConfigError, UnsupportedModelTypeError } from "../llama/config.js";
import { bertWeightShapes, parseBertConfig, type BertConfig } from "./config.js";
import { buildBertClassifier, type BertPooling } from "./graph.js";
import { bertReferenceForward, erf, type BertReferenceInputs } from "./reference.js";

const minilmConfig = fileURLToPath(new URL("../../../../../../shared/tokenizers/bert-minilm/config.json", import.meta.url));

function tinyConfig(overrides: Record<string, unknown> = {}): BertConfig {
  return parseBertConfig({
    model_type: "bert",
    hidden_size: 16,
    num_hidden_layers: 2,
    num_attention_heads: 4,
    intermediate_size: 24,
    vocab_size: 40,
    max_position_embeddings: 12,
    type_vocab_size: 2,
    layer_norm_eps: 1e-12,
    num_labels: 3,
    ...overrides,
  });
}

/** Larger-than-HF random weights (std 0.3, LayerNorm weights 1 ± 0.2, biases 0.1) so every path moves the logits. */
function randomWeights(config: BertConfig, seed: number): Map<string, HfWeight> {
  const rng = new Rng(seed);
  const weights = new Map<string, HfWeight>();
  for (const [name, shape] of bertWeightShapes(config)) {
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
    const isNormWeight = name.endsWith("LayerNorm.weight");
    rng.fillNormal(data, isNormWeight ? 0.2 : name.endsWith(".bias") ? 0.1 : 0.3);
    if (isNormWeight) for (let i = 0; i < data.length; i++) data[i] += 1;
    weights.set(name, { shape, data });
  }
  return weights;
}

const as64 = (weights: Map<string, HfWeight>) => new Map([...weights].map(([k, w]) => [k, Float64Array.from(w.data)]));

/** Two rows, the second padded after 5 tokens; segments 0 then 1 as a pair encoding has them. */
function inputs(): BertReferenceInputs {
  const seq = 8;
  return {
    batch: 2,
    seq,
    inputIds: Int32Array.from([2, 11, 7, 3, 25, 19, 33, 3, 2, 5, 3, 8, 3, 0, 0, 0]),
    tokenTypeIds: Int32Array.from([0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0]),
    attentionMask: Uint8Array.from([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0]),
  };
}

const executor = new Executor({ device: "cpu", intraOpNumThreads: 1 });
afterAll(() => executor.release());

async function graphLogits(config: BertConfig, weights: Map<string, HfWeight>, x: BertReferenceInputs, pooling: BertPooling): Promise<Float32Array> {
  const g = new Graph();
  const model = buildBertClassifier(g, config, weights, { pooling });
  const compiled = await executor.compile(g, { logits: model.logits });
  const shape = [x.batch, x.seq];
  const int64 = (values: ArrayLike<number>) => ({ data: BigInt64Array.from(Array.from(values, BigInt)), shape });
  const result = await compiled.run({ input_ids: int64(x.inputIds), token_type_ids: int64(x.tokenTypeIds), attention_mask: int64(x.attentionMask) });
  return result.logits.data as Float32Array;
}

describe("BERT config", () => {
  it("parses the MiniLM config with BertConfig defaults", async () => {
    const config = parseBertConfig(JSON.parse(await readFile(minilmConfig, "utf8")));
    expect(config).toMatchObject({ hiddenSize: 384, numHiddenLayers: 6, numAttentionHeads: 12, headDim: 32, intermediateSize: 1536, hiddenAct: "gelu", typeVocabSize: 2, padTokenId: 0, labels: ["LABEL_0", "LABEL_1"] });
    // all-MiniLM-L6-v2's published 22,713,216 parameters (BertModel, pooler included) + a 2-class head
    const total = [...bertWeightShapes(config).values()].reduce((s, shape) => s + shape.reduce((a, b) => a * b, 1), 0);
    expect(total).toBe(22_713_216 + 2 * 384 + 2);
  });

  it("names the field and value it cannot build", () => {
    expect(() => tinyConfig({ position_embedding_type: "relative_key" })).toThrow(ModelConfigError);
    expect(() => tinyConfig({ position_embedding_type: "relative_key" })).toThrow('field "position_embedding_type" must be one of "absolute", got "relative_key"');
    expect(() => tinyConfig({ hidden_act: "relu" })).toThrow('field "hidden_act"');
    expect(() => parseBertConfig({ model_type: "roberta" })).toThrow(UnsupportedModelTypeError);
  });
});

describe("bertReferenceForward", () => {
  it("has an erf good to float64 precision", () => {
    expect(erf(0.5)).toBeCloseTo(0.5204998778130465, 14);
    expect(erf(-1)).toBeCloseTo(-0.8427007929497149, 14);
    expect(erf(2.5)).toBeCloseTo(0.999593047982555, 14);
    expect(erf(3.5)).toBeCloseTo(0.9999992569016276, 14);
  });

  it("matches a hand computation when the layers add nothing", () => {
    // Zero output projections leave each layer LayerNorm(x + 0): with unit gains and zero biases the embedding LayerNorm
    // passes through, so the logits are classifier(tanh(pooler(LN(word + pos + type)))) of the first token.
    const config = tinyConfig({ hidden_size: 4, num_attention_heads: 2, num_hidden_layers: 1, intermediate_size: 3, num_labels: 2 });
    const weights = as64(randomWeights(config, 1));
    for (const [key, value] of weights) {
      if (key.includes("LayerNorm.weight")) value.fill(1);
      if (key.includes("LayerNorm.bias") || /(attention\.output|\.output)\.dense/.test(key)) value.fill(0);
    }
    weights.get("bert.embeddings.word_embeddings.weight")!.set([1, 2, 3, 6], 2 * 4);
    weights.get("bert.embeddings.position_embeddings.weight")!.set([0, 0, 0, 0], 0);
    weights.get("bert.embeddings.token_type_embeddings.weight")!.set([0, 0, 0, 0], 0);
    weights.set("bert.pooler.dense.weight", Float64Array.from([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]));
    weights.set("bert.pooler.dense.bias", new Float64Array(4));
    weights.set("classifier.weight", Float64Array.from([1, 0, 0, 0, 0, 0, 0, 1]));
    weights.set("classifier.bias", Float64Array.from([0.5, 0]));
    // LN([1, 2, 3, 6]): mean 3, variance 3.5
    const normed = [1, 2, 3, 6].map((v) => (v - 3) / Math.sqrt(3.5));
    const logits = bertReferenceForward(config, weights, { batch: 1, seq: 2, inputIds: Int32Array.from([2, 5]), tokenTypeIds: new Int32Array(2), attentionMask: Uint8Array.from([1, 1]) });
    expect(logits[0]).toBeCloseTo(Math.tanh(normed[0]) + 0.5, 9);
    expect(logits[1]).toBeCloseTo(Math.tanh(normed[3]), 9);
  });

  it("ignores padded keys and tokens beyond the mask", () => {
    const config = tinyConfig();
    const weights = as64(randomWeights(config, 2));
    const x = inputs();
    const changed = { ...x, inputIds: Int32Array.from(x.inputIds).fill(9, 13), tokenTypeIds: Int32Array.from(x.tokenTypeIds).fill(1, 13) };
    for (const pooling of ["cls", "mean"] as const) {
      const a = bertReferenceForward(config, weights, x, pooling);
      const b = bertReferenceForward(config, weights, changed, pooling);
      for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(a[i], 12);
    }
  });
});

describe("buildBertClassifier", () => {
  it.each([
    ["cls", "gelu"],
    ["mean", "gelu"],
    ["cls", "gelu_new"],
  ] as const)("matches the float64 reference (%s pooling, %s)", async (pooling, act) => {
    const config = tinyConfig({ hidden_act: act });
    const weights = randomWeights(config, 3);
    const x = inputs();
    const ours = await graphLogits(config, weights, x, pooling);
    const ref = bertReferenceForward(config, as64(weights), x, pooling);
    expect(ours.length).toBe(6);
    for (let i = 0; i < ref.length; i++) expect(ours[i]).toBeCloseTo(ref[i], 4);
    // the two rows differ, so pooling picked per-row vectors
    expect(Math.abs(ref[0] - ref[3])).toBeGreaterThan(1e-3);
  });
});
