import { describe, expect, it } from "vitest";
import { ModelConfigError, UnsupportedModelTypeError, modelFamilies, parseLlamaConfig } from "./config.js";

// SmolLM2-135M's config.json as published (fields that matter here).
const smolLm2 = {
  architectures: ["LlamaForCausalLM"],
  attention_bias: false,
  bos_token_id: 0,
  eos_token_id: 0,
  hidden_act: "silu",
  hidden_size: 576,
  intermediate_size: 1536,
  max_position_embeddings: 8192,
  mlp_bias: false,
  model_type: "llama",
  num_attention_heads: 9,
  num_hidden_layers: 30,
  num_key_value_heads: 3,
  rms_norm_eps: 1e-5,
  rope_scaling: null,
  rope_theta: 100000,
  tie_word_embeddings: true,
  torch_dtype: "bfloat16",
  vocab_size: 49152,
};

describe("parseLlamaConfig", () => {
  it("reads SmolLM2's real config", () => {
    const config = parseLlamaConfig(smolLm2);
    expect(config).toMatchObject({
      modelType: "llama",
      hiddenSize: 576,
      numHiddenLayers: 30,
      numAttentionHeads: 9,
      numKeyValueHeads: 3,
      headDim: 64,
      intermediateSize: 1536,
      vocabSize: 49152,
      rmsNormEps: 1e-5,
      ropeTheta: 100000,
      tieWordEmbeddings: true,
      qkvBias: false,
      oBias: false,
      slidingWindow: null,
      padTokenId: null,
      bosTokenId: 0,
      eosTokenId: 0,
      labels: ["LABEL_0", "LABEL_1"],
      storedDtype: "bfloat16",
    });
  });

  it("fills HF's Llama defaults for omitted fields", () => {
    const config = parseLlamaConfig({ model_type: "llama" });
    expect(config).toMatchObject({
      hiddenSize: 4096,
      numHiddenLayers: 32,
      numAttentionHeads: 32,
      numKeyValueHeads: 32,
      headDim: 128,
      intermediateSize: 11008,
      vocabSize: 32000,
      rmsNormEps: 1e-6,
      ropeTheta: 10000,
      maxPositionEmbeddings: 2048,
      tieWordEmbeddings: false,
      bosTokenId: 1,
      eosTokenId: 2,
    });
  });

  it("gives Qwen2 q/k/v biases but no o bias, and Llama attention_bias all four", () => {
    const qwen = parseLlamaConfig({ model_type: "qwen2", hidden_size: 64, num_attention_heads: 4, num_key_value_heads: 2 });
    expect([qwen.qkvBias, qwen.oBias, qwen.slidingWindow]).toEqual([true, false, null]);
    const llama = parseLlamaConfig({ model_type: "llama", attention_bias: true, mlp_bias: true });
    expect([llama.qkvBias, llama.oBias, llama.mlpBias]).toEqual([true, true, true]);
  });

  it("takes Mistral's sliding window, null when the config says null", () => {
    expect(parseLlamaConfig({ model_type: "mistral" }).slidingWindow).toBe(4096);
    expect(parseLlamaConfig({ model_type: "mistral", sliding_window: null }).slidingWindow).toBeNull();
    expect(parseLlamaConfig({ model_type: "qwen2", use_sliding_window: true, sliding_window: 128 }).slidingWindow).toBe(128);
  });

  it("reads labels from id2label and checks num_labels against it", () => {
    const config = parseLlamaConfig({
      model_type: "llama",
      id2label: { "2": "winner_tie", "0": "winner_model_a", "1": "winner_model_b" },
      num_labels: 3,
    });
    expect(config.labels).toEqual(["winner_model_a", "winner_model_b", "winner_tie"]);
    expect(() => parseLlamaConfig({ model_type: "llama", id2label: { "0": "a" }, num_labels: 3 })).toThrow(/num_labels.*3.*1 entries/);
    expect(() => parseLlamaConfig({ model_type: "llama", id2label: { "0": "a", "2": "b" } })).toThrow(/id2label/);
  });

  it("honours an explicit head_dim that differs from hidden/heads", () => {
    expect(parseLlamaConfig({ model_type: "llama", hidden_size: 96, num_attention_heads: 4, head_dim: 32 }).headDim).toBe(32);
  });

  it("lists the supported model types for an unknown one", () => {
    const error = captureError(() => parseLlamaConfig({ model_type: "gpt2" }, "/m/config.json"));
    expect(error).toBeInstanceOf(UnsupportedModelTypeError);
    expect(error.message).toBe('/m/config.json: model_type "gpt2" is not supported; supported: llama, mistral, qwen2');
    expect([...modelFamilies.keys()]).toEqual(["llama", "mistral", "qwen2"]);
  });

  it.each([
    [{ model_type: "llama", num_attention_heads: 6, num_key_value_heads: 4 }, "num_key_value_heads", /must divide num_attention_heads \(6\), got 4/],
    [{ model_type: "llama", hidden_size: 100, num_attention_heads: 3 }, "hidden_size", /multiple of num_attention_heads/],
    [{ model_type: "llama", hidden_act: "gelu" }, "hidden_act", /"silu".*"gelu"/],
    [{ model_type: "llama", rms_norm_eps: 0 }, "rms_norm_eps", /> 0, got 0/],
    [{ model_type: "llama", vocab_size: 10, pad_token_id: 10 }, "pad_token_id", /\[0, 10\), got 10/],
    [{ model_type: "llama", rope_scaling: { rope_type: "llama3", factor: 8 } }, "rope_scaling", /"llama3"/],
    [{ model_type: "llama", hidden_size: 12, num_attention_heads: 4 }, "head_dim", /even/],
    [{ model_type: "llama", num_hidden_layers: 1.5 }, "num_hidden_layers", /integer ≥ 1, got 1.5/],
  ])("rejects %j naming the field", (json, field, message) => {
    const error = captureError(() => parseLlamaConfig(json, "cfg.json"));
    expect(error).toBeInstanceOf(ModelConfigError);
    expect((error as ModelConfigError).field).toBe(field);
    expect(error.message).toMatch(new RegExp(`^cfg\\.json: field "${field}"`));
    expect(error.message).toMatch(message);
  });

  it("rejects a config without a model_type", () => {
    expect(() => parseLlamaConfig({ hidden_size: 8 })).toThrow(ModelConfigError);
    expect(() => parseLlamaConfig([1])).toThrow(/JSON object/);
  });
});

function captureError(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected an error");
}
