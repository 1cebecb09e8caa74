import type { LlamaConfig } from "./config.js";

/** The Linear modules inside one decoder layer, by PEFT target name, with the path below `model.layers.{i}`. */
export const llamaLayerLinears = {
  q_proj: "self_attn.q_proj",
  k_proj: "self_attn.k_proj",
  v_proj: "self_attn.v_proj",
  o_proj: "self_attn.o_proj",
  gate_proj: "mlp.gate_proj",
  up_proj: "mlp.up_proj",
  down_proj: "mlp.down_proj",
} as const;

/** A PEFT target module name of the Llama family. */
export type LlamaLinearName = keyof typeof llamaLayerLinears;

/** `[out, in]` of one layer Linear, and whether it has a bias under `config`. */
export function llamaLinearShape(config: LlamaConfig, name: LlamaLinearName): { out: number; in: number; bias: boolean } {
  const { hiddenSize: h, headDim: d, numAttentionHeads: nq, numKeyValueHeads: nkv, intermediateSize: m } = config;
  switch (name) {
    case "q_proj":
      return { out: nq * d, in: h, bias: config.qkvBias };
    case "k_proj":
    case "v_proj":
      return { out: nkv * d, in: h, bias: config.qkvBias };
    case "o_proj":
      return { out: h, in: nq * d, bias: config.oBias };
    case "gate_proj":
    case "up_proj":
      return { out: m, in: h, bias: config.mlpBias };
    case "down_proj":
      return { out: h, in: m, bias: config.mlpBias };
  }
}

/** Options of `llamaWeightShapes`. */
export interface LlamaWeightShapesOptions {
  /** Include `score.weight`; a causal-LM checkpoint has none and the head is initialised fresh. Defaults to `true`. */
  readonly withHead?: boolean;
}

/**
 * Every tensor of `LlamaForSequenceClassification` under `config`, HF key name → shape, in HF's module order.
 */
export function llamaWeightShapes(config: LlamaConfig, options: LlamaWeightShapesOptions = {}): Map<string, number[]> {
  const shapes = new Map<string, number[]>();
  shapes.set("model.embed_tokens.weight", [config.vocabSize, config.hiddenSize]);
  for (let layer = 0; layer < config.numHiddenLayers; layer++) {
    const prefix = `model.layers.${layer}`;
    for (const name of Object.keys(llamaLayerLinears) as LlamaLinearName[]) {
      const shape = llamaLinearShape(config, name);
      shapes.set(`${prefix}.${llamaLayerLinears[name]}.weight`, [shape.out, shape.in]);
      if (shape.bias) shapes.set(`${prefix}.${llamaLayerLinears[name]}.bias`, [shape.out]);
    }
    shapes.set(`${prefix}.input_layernorm.weight`, [config.hiddenSize]);
    shapes.set(`${prefix}.post_attention_layernorm.weight`, [config.hiddenSize]);
  }
  shapes.set("model.norm.weight", [config.hiddenSize]);
  if (options.withHead ?? true) shapes.set("score.weight", [config.labels.length, config.hiddenSize]);
  return shapes;
}
