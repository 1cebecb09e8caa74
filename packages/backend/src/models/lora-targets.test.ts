import { parseLoraConfig } from "@lora-litee/lora";
import { describe, expect, it } from "vitest";
import { bertArchitecture } from "./bert/architecture.js";
import { parseBertConfig } from "./bert/config.js";
import { llamaArchitecture } from "./llama/architecture.js";
import { parseLlamaConfig } from "./llama/config.js";
import { LoraTargetError, planLora } from "./lora-targets.js";

const config = parseLlamaConfig({
  model_type: "llama",
  hidden_size: 64,
  num_hidden_layers: 3,
  num_attention_heads: 4,
  num_key_value_heads: 2,
  intermediate_size: 96,
  num_labels: 3,
});
const llama = llamaArchitecture({ family: "llama", config, weights: new Map(), hasHead: false, ignoredKeys: [], storedDtypes: [] });
const plan = (fields: Record<string, unknown>) => planLora(llama, parseLoraConfig({ r: 4, lora_alpha: 8, ...fields }));
const paths = (fields: Record<string, unknown>) => plan(fields).targets.map((t) => t.path);

describe("planLora", () => {
  it("defaults to PEFT's q_proj and v_proj for Llama, with the score head trained in full", () => {
    const result = plan({});
    expect(result.targets.map((t) => t.path)).toEqual([
      "model.layers.0.self_attn.q_proj",
      "model.layers.0.self_attn.v_proj",
      "model.layers.1.self_attn.q_proj",
      "model.layers.1.self_attn.v_proj",
      "model.layers.2.self_attn.q_proj",
      "model.layers.2.self_attn.v_proj",
    ]);
    expect(result.targets[1]).toMatchObject({ layer: 0, module: "v_proj", outFeatures: 32, inFeatures: 64 });
    expect(result.headModule).toBe("score");
    expect(result.head).toEqual([{ key: "score.weight", shape: [3, 64] }]);
    expect([result.rank, result.scale, result.dora]).toEqual([4, 2, false]);
  });

  it("expands all-linear to the seven Linears of each layer, never the head", () => {
    const result = plan({ target_modules: "all-linear" });
    expect(result.targets).toHaveLength(21);
    expect(result.targets.slice(7, 14).map((t) => t.module)).toEqual(["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]);
    expect(result.targets.slice(7, 14).every((t) => t.layer === 1)).toBe(true);
    expect(result.targets.find((t) => t.module === "down_proj")).toMatchObject({ outFeatures: 64, inFeatures: 96 });
  });

  it("matches names by suffix and a string as a whole-name regex, as PEFT does", () => {
    expect(paths({ target_modules: ["mlp.up_proj"], layers_to_transform: 2 })).toEqual(["model.layers.2.mlp.up_proj"]);
    expect(paths({ target_modules: String.raw`.*\.(0|2)\.self_attn\.(k|o)_proj` })).toEqual([
      "model.layers.0.self_attn.k_proj",
      "model.layers.0.self_attn.o_proj",
      "model.layers.2.self_attn.k_proj",
      "model.layers.2.self_attn.o_proj",
    ]);
    expect(() => paths({ target_modules: "k_proj" })).toThrow(/select no module/);
  });

  it("uses alpha/√r under rsLoRA and carries DoRA and dropout", () => {
    expect(plan({ use_rslora: true, r: 16, lora_alpha: 8, use_dora: true, lora_dropout: 0.1 })).toMatchObject({ scale: 2, dora: true, dropout: 0.1 });
  });

  it("names target modules this architecture lacks and layers it does not have", () => {
    expect(() => plan({ target_modules: ["q_proj", "query"] })).toThrow(new LoraTargetError(
      'target_modules ["query"] match no Linear of this llama model; its Linears are q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj (or "all-linear")',
    ));
    expect(() => plan({ target_modules: ["q_proj"], layers_to_transform: [5] })).toThrow(/layers_to_transform \[5\]: the model has layers 0..2/);
    expect(() => plan({ target_modules: "nothing" })).toThrow(/select no module/);
    expect(() => plan({ modules_to_save: ["lm_head"] })).toThrow(/only the classification head "score"/);
    // PEFT's saved SEQ_CLS configs list both heads; the decoder has only `score`
    expect(plan({ modules_to_save: ["classifier", "score"], task_type: null }).head.map((t) => t.key)).toEqual(["score.weight"]);
  });

  describe("on a BERT encoder", () => {
    const bertConfig = parseBertConfig({ model_type: "bert", hidden_size: 32, num_hidden_layers: 2, num_attention_heads: 4, intermediate_size: 48, vocab_size: 100, num_labels: 3 });
    const bert = bertArchitecture({ family: "bert", config: bertConfig, weights: new Map(), hasHead: false });
    const bertPlan = (fields: Record<string, unknown>) => planLora(bert, parseLoraConfig({ r: 2, lora_alpha: 4, ...fields }));

    it("defaults to PEFT's query and value, with the classifier (weight and bias) trained in full", () => {
      const result = bertPlan({});
      expect(result.targets.map((t) => t.path)).toEqual([
        "bert.encoder.layer.0.attention.self.query",
        "bert.encoder.layer.0.attention.self.value",
        "bert.encoder.layer.1.attention.self.query",
        "bert.encoder.layer.1.attention.self.value",
      ]);
      expect(result.headModule).toBe("classifier");
      expect(result.head).toEqual([
        { key: "classifier.weight", shape: [3, 32] },
        { key: "classifier.bias", shape: [3] },
      ]);
    });

    it("reaches the pooler with all-linear and a `dense` suffix, as PEFT's name matching does, but not within layers_to_transform", () => {
      expect(bertPlan({ target_modules: "all-linear" }).targets.map((t) => t.module)).toEqual([
        ...["query", "key", "value", "dense", "dense", "dense"],
        ...["query", "key", "value", "dense", "dense", "dense"],
        "dense",
      ]);
      expect(bertPlan({ target_modules: ["dense"] }).targets.at(-1)).toMatchObject({ path: "bert.pooler.dense", layer: null, outFeatures: 32, inFeatures: 32 });
      expect(bertPlan({ target_modules: ["intermediate.dense"], layers_to_transform: [1] }).targets).toMatchObject([{ path: "bert.encoder.layer.1.intermediate.dense", outFeatures: 48, inFeatures: 32 }]);
      expect(bertPlan({ target_modules: ["dense"], layers_to_transform: [0] }).targets.map((t) => t.path)).not.toContain("bert.pooler.dense");
      expect(() => bertPlan({ target_modules: ["q_proj"] })).toThrow(/match no Linear of this bert model; its Linears are query, key, value, dense/);
      expect(() => bertPlan({ target_modules: ["query"], layers_pattern: "layers", layers_to_transform: [0] })).toThrow(/bert layers live in "layer"/);
    });
  });
});
