/**
 * The shapes a transformers model (from its config.json) gives each linear module and head parameter, so an
 * adapter can be checked against the model before anything is merged or run.
 */
import { LoraConfigError } from "../errors.js";

/** Looks up shapes by module / parameter path inside the transformers model. */
export interface ModelShapes {
  /** [out, in] of the linear module at `path` (e.g. "model.layers.0.self_attn.q_proj"), or null if there is none. */
  linear(path: string): [number, number] | null;
  /** Shape of the parameter at `path` (e.g. "score.weight"), or null if there is none. */
  parameter(path: string): number[] | null;
}

const DECODERS = ["llama", "mistral", "qwen2", "qwen3", "gemma", "gemma2"];
const ENCODERS: Record<string, string> = { bert: "bert", roberta: "roberta", "xlm-roberta": "roberta" };

/**
 * ModelShapes for a Hugging Face config.json: Llama-style decoders (model.layers.N.self_attn/mlp, head `score`) and
 * BERT/RoBERTa encoders (<bert|roberta>.encoder.layer.N…, head `classifier`). Other model types raise.
 */
export function modelShapesFromConfig(config: Readonly<Record<string, unknown>>, source = "config.json"): ModelShapes {
  const int = (field: string, fallback?: number): number => {
    const v = config[field] ?? fallback;
    if (!Number.isInteger(v) || (v as number) < 1) throw new LoraConfigError(field, config[field], "a positive integer", source);
    return v as number;
  };
  const type = config.model_type;
  const h = int("hidden_size");
  const layers = int("num_hidden_layers");
  const inter = int("intermediate_size");
  const id2label = config.id2label;
  const labels = int("num_labels", typeof id2label === "object" && id2label !== null ? Object.keys(id2label).length : 2);
  const linears = new Map<string, [number, number]>();
  const params = new Map<string, number[]>();
  if (typeof type === "string" && DECODERS.includes(type)) {
    const heads = int("num_attention_heads");
    const kv = int("num_key_value_heads", heads);
    const hd = int("head_dim", Math.floor(h / heads));
    for (let i = 0; i < layers; i++) {
      const p = `model.layers.${i}`;
      linears.set(`${p}.self_attn.q_proj`, [heads * hd, h]);
      linears.set(`${p}.self_attn.k_proj`, [kv * hd, h]);
      linears.set(`${p}.self_attn.v_proj`, [kv * hd, h]);
      linears.set(`${p}.self_attn.o_proj`, [h, heads * hd]);
      linears.set(`${p}.mlp.gate_proj`, [inter, h]);
      linears.set(`${p}.mlp.up_proj`, [inter, h]);
      linears.set(`${p}.mlp.down_proj`, [h, inter]);
    }
    params.set("score.weight", [labels, h]);
  } else if (typeof type === "string" && type in ENCODERS) {
    const stem = ENCODERS[type];
    for (let i = 0; i < layers; i++) {
      const p = `${stem}.encoder.layer.${i}`;
      for (const name of ["query", "key", "value"]) linears.set(`${p}.attention.self.${name}`, [h, h]);
      linears.set(`${p}.attention.output.dense`, [h, h]);
      linears.set(`${p}.intermediate.dense`, [inter, h]);
      linears.set(`${p}.output.dense`, [h, inter]);
    }
    if (stem === "bert") {
      // BertForSequenceClassification keeps the pooler (RobertaForSequenceClassification drops it): all-linear reaches it
      linears.set("bert.pooler.dense", [h, h]);
      params.set("classifier.weight", [labels, h]);
      params.set("classifier.bias", [labels]);
    } else {
      params.set("classifier.dense.weight", [h, h]);
      params.set("classifier.dense.bias", [h]);
      params.set("classifier.out_proj.weight", [labels, h]);
      params.set("classifier.out_proj.bias", [labels]);
    }
  } else {
    throw new LoraConfigError("model_type", type, `one of ${[...DECODERS, ...Object.keys(ENCODERS)].join(", ")}`, source);
  }
  for (const [path, [out, inF]] of linears) {
    params.set(`${path}.weight`, [out, inF]);
  }
  return {
    linear: (path) => linears.get(path) ?? null,
    parameter: (path) => params.get(path) ?? null,
  };
}
