import { describe, expect, it } from "vitest";
import {
  AdapterKeyError,
  AdapterShapeError,
  decodeAdapter,
  encodeAdapter,
  float32ToHalf,
  initLoraLayer,
  LoraConfigError,
  modelShapesFromConfig,
  parseLoraConfig,
  parseSafetensors,
  Rng,
  type LoraAdapter,
} from "../src/index.js";
import { craft } from "./craft.js";
import { randomArray } from "./reference.js";

/** adapter_config.json as PEFT 0.17's save_pretrained writes it for a DoRA SEQ_CLS adapter. */
const PEFT_CONFIG = {
  alpha_pattern: {},
  auto_mapping: null,
  base_model_name_or_path: "tiny-llama",
  bias: "none",
  corda_config: null,
  eva_config: null,
  exclude_modules: null,
  fan_in_fan_out: false,
  inference_mode: true,
  init_lora_weights: true,
  layer_replication: null,
  layers_pattern: null,
  layers_to_transform: null,
  loftq_config: {},
  lora_alpha: 16,
  lora_bias: false,
  lora_dropout: 0.05,
  megatron_config: null,
  megatron_core: "megatron.core",
  modules_to_save: ["classifier", "score"],
  peft_type: "LORA",
  peft_version: "0.17.1",
  qalora_group_size: 16,
  r: 4,
  rank_pattern: {},
  revision: null,
  target_modules: ["v_proj", "q_proj"],
  target_parameters: null,
  task_type: "SEQ_CLS",
  trainable_token_indices: null,
  use_dora: true,
  use_qalora: false,
  use_rslora: false,
};

/** A tiny Llama config.json: hidden 8, 2 heads of 4, 1 KV head, 3 labels. */
const LLAMA = {
  model_type: "llama",
  hidden_size: 8,
  intermediate_size: 16,
  num_attention_heads: 2,
  num_key_value_heads: 1,
  num_hidden_layers: 2,
  id2label: { 0: "a", 1: "b", 2: "tie" },
};

/** Hand-laid adapter_model.safetensors bytes in PEFT's key layout (magnitude without ".weight", head in F16). */
function pefTensors() {
  const p = "base_model.model.model.layers.0.self_attn";
  const entries: [string, "F32" | "F16", number[], Uint8Array][] = [];
  const f32 = (seed: number, shape: number[]) => new Uint8Array(randomArray(seed, shape.reduce((a, b) => a * b, 1)).buffer);
  entries.push([`${p}.q_proj.lora_A.weight`, "F32", [4, 8], f32(1, [4, 8])]);
  entries.push([`${p}.q_proj.lora_B.weight`, "F32", [8, 4], f32(2, [8, 4])]);
  entries.push([`${p}.q_proj.lora_magnitude_vector`, "F32", [8], f32(3, [8])]);
  entries.push([`${p}.v_proj.lora_A.weight`, "F32", [4, 8], f32(4, [4, 8])]);
  entries.push([`${p}.v_proj.lora_B.weight`, "F32", [4, 4], f32(5, [4, 4])]);
  entries.push([`${p}.v_proj.lora_magnitude_vector.weight`, "F32", [4], f32(6, [4])]);
  entries.push(["base_model.model.score.weight", "F16", [3, 8], new Uint8Array(float32ToHalf(randomArray(7, 24), "F16").buffer)]);
  const header: Record<string, unknown> = { __metadata__: { format: "pt" } };
  let offset = 0;
  for (const [name, dtype, shape, bytes] of entries) {
    header[name] = { dtype, shape, data_offsets: [offset, offset + bytes.length] };
    offset += bytes.length;
  }
  const data = new Uint8Array(offset);
  offset = 0;
  for (const [, , , bytes] of entries) {
    data.set(bytes, offset);
    offset += bytes.length;
  }
  return craft(header, data);
}

describe("PEFT adapter files", () => {
  it("loads a PEFT-layout adapter built by hand, checked against the model's config", () => {
    const adapter = decodeAdapter({ config: JSON.stringify(PEFT_CONFIG), weights: pefTensors() }, { model: modelShapesFromConfig(LLAMA) });
    expect(adapter.config.r).toBe(4);
    expect(adapter.config.use_dora).toBe(true);
    expect(adapter.config.target_modules).toEqual(["v_proj", "q_proj"]);
    const q = adapter.layers.get("model.layers.0.self_attn.q_proj")!;
    expect([q.outFeatures, q.inFeatures, q.r]).toEqual([8, 8, 4]);
    expect(q.A).toEqual(randomArray(1, 32));
    expect(q.B).toEqual(randomArray(2, 32));
    expect(q.magnitude).toEqual(randomArray(3, 8));
    const v = adapter.layers.get("model.layers.0.self_attn.v_proj")!;
    expect([v.outFeatures, v.inFeatures]).toEqual([4, 8]);
    expect(v.magnitude).toEqual(randomArray(6, 4));
    const head = adapter.modulesToSave.get("score.weight")!;
    expect(head.dtype).toBe("F32");
    expect(head.shape).toEqual([3, 8]);
    for (const [i, x] of randomArray(7, 24).entries()) expect(Math.abs(head.data[i] - x)).toBeLessThan(1e-3);
  });

  it("writes PEFT's key names and config, and a save → load → save round trip is bit-identical", () => {
    const adapter = decodeAdapter({ config: JSON.stringify(PEFT_CONFIG), weights: pefTensors() });
    const files = encodeAdapter(adapter);
    const keys = [...parseSafetensors(files.weights).tensors.keys()].sort();
    expect(keys).toEqual([
      "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight",
      "base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight",
      "base_model.model.model.layers.0.self_attn.q_proj.lora_magnitude_vector",
      "base_model.model.model.layers.0.self_attn.v_proj.lora_A.weight",
      "base_model.model.model.layers.0.self_attn.v_proj.lora_B.weight",
      "base_model.model.model.layers.0.self_attn.v_proj.lora_magnitude_vector",
      "base_model.model.score.weight",
    ]);
    const config = JSON.parse(files.config);
    expect(config).toMatchObject({ peft_type: "LORA", task_type: "SEQ_CLS", r: 4, lora_alpha: 16, bias: "none", inference_mode: true });
    const again = encodeAdapter(decodeAdapter(files));
    expect(again.weights).toEqual(files.weights);
    expect(again.config).toBe(files.config);
  });

  it("raises AdapterShapeError naming the key and both shapes when the model does not fit", () => {
    const wide = modelShapesFromConfig({ ...LLAMA, hidden_size: 16, num_attention_heads: 4 });
    const load = () => decodeAdapter({ config: PEFT_CONFIG, weights: pefTensors() }, { model: wide });
    expect(load).toThrow(AdapterShapeError);
    expect(load).toThrow(/"base_model\.model\.score\.weight" has shape \[3, 8\] but \[3, 16\] is expected/);
    const narrow = modelShapesFromConfig({ ...LLAMA, num_attention_heads: 1, head_dim: 4 });
    const q = () => decodeAdapter({ config: PEFT_CONFIG, weights: pefTensors() }, { model: narrow });
    expect(q).toThrow(/"base_model\.model\.model\.layers\.0\.self_attn\.q_proj\.lora_B\.weight" has shape \[8, 4\] but \[4, 4\] is expected/);
    const head = () => decodeAdapter({ config: PEFT_CONFIG, weights: pefTensors() }, { model: modelShapesFromConfig({ ...LLAMA, num_labels: 2, id2label: undefined }) });
    expect(head).toThrow(/"base_model\.model\.score\.weight" has shape \[3, 8\] but \[2, 8\] is expected/);
  });

  it("raises on an r that disagrees with the config, missing tensors and stray keys", () => {
    expect(() => decodeAdapter({ config: { ...PEFT_CONFIG, r: 2 }, weights: pefTensors() })).toThrow(AdapterShapeError);
    expect(() => decodeAdapter({ config: { ...PEFT_CONFIG, use_dora: false }, weights: pefTensors() })).toThrow(/present although use_dora is false/);
    const stray = craft({ "base_model.model.model.norm.weight": { dtype: "F32", shape: [1], data_offsets: [0, 4] } }, new Uint8Array(4));
    expect(() => decodeAdapter({ config: PEFT_CONFIG, weights: stray })).toThrow(AdapterKeyError);
    const onlyA = craft({ "base_model.model.x.lora_A.weight": { dtype: "F32", shape: [4, 1], data_offsets: [0, 16] } }, new Uint8Array(16));
    expect(() => decodeAdapter({ config: { ...PEFT_CONFIG, use_dora: false }, weights: onlyA })).toThrow(/x\.lora_B\.weight": is missing/);
    expect(() => decodeAdapter({ config: "{oops", weights: onlyA })).toThrow(LoraConfigError);
  });

  it("encodes layers built by initLoraLayer, with rsLoRA and the BERT head", () => {
    const config = parseLoraConfig({ r: 2, lora_alpha: 4, use_rslora: true, target_modules: ["query"] });
    const rng = new Rng(3);
    const { lora } = initLoraLayer({ inFeatures: 8, outFeatures: 8 }, config, rng);
    const adapter: LoraAdapter = {
      config,
      layers: new Map([["bert.encoder.layer.1.attention.self.query", lora]]),
      modulesToSave: new Map([
        ["classifier.weight", { dtype: "F32", shape: [3, 8], data: randomArray(1, 24) }],
        ["classifier.bias", { dtype: "F32", shape: [3], data: randomArray(2, 3) }],
      ]),
    };
    const bert = modelShapesFromConfig({ model_type: "bert", hidden_size: 8, intermediate_size: 32, num_hidden_layers: 2, num_labels: 3 });
    // As PeftModelForSequenceClassification saves it, the heads are listed in modules_to_save.
    expect(JSON.parse(encodeAdapter(adapter).config).modules_to_save).toEqual(["classifier", "score"]);
    const back = decodeAdapter(encodeAdapter(adapter), { model: bert });
    expect(back.layers.get("bert.encoder.layer.1.attention.self.query")!.A).toEqual(lora.A);
    expect(back.modulesToSave.get("classifier.bias")!.data).toEqual(randomArray(2, 3));
    // BERT's classifier keeps the pooler, a Linear all-linear adapts; RoBERTa's drops it
    expect(bert.linear("bert.pooler.dense")).toEqual([8, 8]);
    expect(modelShapesFromConfig({ model_type: "roberta", hidden_size: 8, intermediate_size: 32, num_hidden_layers: 2 }).linear("roberta.pooler.dense")).toBeNull();
    expect(() => encodeAdapter({ ...adapter, modulesToSave: new Map([["lm_head.weight", { dtype: "F32", shape: [1], data: new Float32Array(1) }]]) })).toThrow(
      /not under modules_to_save/,
    );
  });
});
