/**
 * Adapter ⇄ PEFT files, as pure functions on bytes: adapter_config.json text and adapter_model.safetensors bytes
 * with PEFT's key names (adapter name removed, `base_model.model.` prefix, DoRA magnitude without `.weight`,
 * modules_to_save parameters under their plain module path).
 */
import { LORA_A, LORA_B, LORA_MAGNITUDE, PEFT_KEY_PREFIX, SEQ_CLS_HEADS, WEIGHT_SUFFIX } from "../constants.js";
import { parseLoraConfig, type LoraConfig } from "../config.js";
import { AdapterKeyError, AdapterShapeError, LoraConfigError } from "../errors.js";
import type { LoraLayerWeights } from "../layer.js";
import type { Tensor } from "../safetensors/dtypes.js";
import { parseSafetensors } from "../safetensors/parse.js";
import { serializeSafetensors } from "../safetensors/serialize.js";
import type { LoraAdapter } from "./adapter.js";
import type { ModelShapes } from "./model-shapes.js";

/** The two files of a PEFT adapter directory. */
export interface AdapterFiles {
  /** adapter_config.json text. */
  config: string;
  /** adapter_model.safetensors bytes. */
  weights: Uint8Array;
}

/** Options of decoding an adapter. */
export interface DecodeAdapterOptions {
  /** Check every tensor against the model's shapes (see modelShapesFromConfig). Defaults to `null` (no model check). */
  model?: ModelShapes | null;
  /** Name of the directory or files, used in error messages. Defaults to `"<adapter>"`. */
  source?: string;
}

/** Encodes an adapter as PEFT's adapter_config.json and adapter_model.safetensors (F32 tensors). */
export function encodeAdapter(adapter: LoraAdapter): AdapterFiles {
  const config = parseLoraConfig(adapter.config);
  const tensors = new Map<string, Tensor>();
  for (const [path, layer] of adapter.layers) {
    if (layer.r !== config.r) throw new AdapterShapeError(`${PEFT_KEY_PREFIX}${path}.${LORA_A}.${WEIGHT_SUFFIX}`, [layer.r, layer.inFeatures], [config.r, layer.inFeatures]);
    if ((layer.magnitude !== null) !== config.use_dora) {
      throw new AdapterKeyError(`${PEFT_KEY_PREFIX}${path}.${LORA_MAGNITUDE}`, `use_dora is ${config.use_dora} but the layer ${layer.magnitude === null ? "has no" : "has a"} magnitude vector`);
    }
    tensors.set(`${PEFT_KEY_PREFIX}${path}.${LORA_A}.${WEIGHT_SUFFIX}`, { dtype: "F32", shape: [layer.r, layer.inFeatures], data: layer.A });
    tensors.set(`${PEFT_KEY_PREFIX}${path}.${LORA_B}.${WEIGHT_SUFFIX}`, { dtype: "F32", shape: [layer.outFeatures, layer.r], data: layer.B });
    if (layer.magnitude !== null) {
      tensors.set(`${PEFT_KEY_PREFIX}${path}.${LORA_MAGNITUDE}`, { dtype: "F32", shape: [layer.outFeatures], data: layer.magnitude });
    }
  }
  const saved = savedModules(config);
  for (const [path, tensor] of adapter.modulesToSave) {
    if (!underModule(path, saved)) {
      throw new AdapterKeyError(`${PEFT_KEY_PREFIX}${path}`, `is not under modules_to_save (${saved.join(", ") || "none"})`);
    }
    tensors.set(`${PEFT_KEY_PREFIX}${path}`, tensor);
  }
  // As PEFT writes them: marked for inference, keys sorted, and for SEQ_CLS the heads listed in modules_to_save
  // (PeftModelForSequenceClassification appends "classifier" and "score" to the config it saves).
  const json = sortKeys({ ...config, inference_mode: true, modules_to_save: config.task_type === "SEQ_CLS" ? saved : config.modules_to_save });
  return { config: `${JSON.stringify(json, null, 2)}\n`, weights: serializeSafetensors(tensors, { format: "pt" }) };
}

/**
 * Decodes PEFT adapter files. F16/BF16 tensors are widened to F32. Keys that are neither LoRA tensors nor under
 * modules_to_save raise AdapterKeyError; shapes that disagree with the config's r, with each other or with
 * `options.model` raise AdapterShapeError naming the key and both shapes.
 */
export function decodeAdapter(files: { config: string | object; weights: Uint8Array }, options: DecodeAdapterOptions = {}): LoraAdapter {
  const source = options.source ?? "<adapter>";
  const rawConfig = typeof files.config === "string" ? parseJson(files.config, source) : files.config;
  const config = parseLoraConfig(rawConfig, source);
  const { tensors } = parseSafetensors(files.weights, { upcastHalf: true, file: source });
  const parts = new Map<string, { A?: Tensor<"F32">; B?: Tensor<"F32">; m?: Tensor<"F32">; keyA?: string; keyB?: string; keyM?: string }>();
  const modulesToSave = new Map<string, Tensor<"F32">>();
  const saved = savedModules(config);
  for (const [key, tensor] of tensors) {
    if (!key.startsWith(PEFT_KEY_PREFIX)) throw new AdapterKeyError(key, `does not start with "${PEFT_KEY_PREFIX}" (in ${source})`);
    if (tensor.dtype !== "F32") throw new AdapterKeyError(key, `has dtype ${tensor.dtype}; expected a float tensor (F32, F16 or BF16)`);
    const f32 = tensor as Tensor<"F32">;
    const rest = key.slice(PEFT_KEY_PREFIX.length);
    const lora = /^(.+)\.(lora_A|lora_B)\.weight$/.exec(rest) ?? /^(.+)\.(lora_magnitude_vector)(?:\.weight)?$/.exec(rest);
    if (lora !== null) {
      const [, path, kind] = lora;
      const entry = parts.get(path) ?? {};
      if (kind === LORA_A) Object.assign(entry, { A: f32, keyA: key });
      else if (kind === LORA_B) Object.assign(entry, { B: f32, keyB: key });
      else Object.assign(entry, { m: f32, keyM: key });
      parts.set(path, entry);
    } else if (underModule(rest, saved)) {
      const expected = options.model?.parameter(rest);
      if (options.model != null && expected == null) throw new AdapterKeyError(key, "names no parameter of the model");
      if (expected != null && expected.join() !== tensor.shape.join()) throw new AdapterShapeError(key, tensor.shape, expected);
      modulesToSave.set(rest, f32);
    } else {
      throw new AdapterKeyError(key, `is neither a LoRA tensor nor under modules_to_save (${saved.join(", ") || "none"})`);
    }
  }
  const layers = new Map<string, LoraLayerWeights>();
  for (const [path, { A, B, m, keyA, keyB, keyM }] of parts) {
    const keyOf = (k: string) => `${PEFT_KEY_PREFIX}${path}.${k}`;
    if (A === undefined || keyA === undefined) throw new AdapterKeyError(keyOf(`${LORA_A}.${WEIGHT_SUFFIX}`), "is missing");
    if (B === undefined || keyB === undefined) throw new AdapterKeyError(keyOf(`${LORA_B}.${WEIGHT_SUFFIX}`), "is missing");
    if (config.use_dora && m === undefined) throw new AdapterKeyError(keyOf(LORA_MAGNITUDE), "is missing although use_dora is true");
    if (!config.use_dora && m !== undefined) throw new AdapterKeyError(keyM ?? keyOf(LORA_MAGNITUDE), "is present although use_dora is false");
    const modelShape = options.model?.linear(path);
    if (options.model != null && modelShape == null) throw new AdapterKeyError(keyA, "names no linear module of the model");
    const [out, inF] = modelShape ?? [B.shape[0], A.shape[1]];
    const r = config.r;
    expectShape(keyA, A.shape, [r, inF]);
    expectShape(keyB, B.shape, [out, r]);
    if (m !== undefined && keyM !== undefined) expectShape(keyM, m.shape, [out]);
    layers.set(path, { inFeatures: inF, outFeatures: out, r, A: A.data, B: B.data, magnitude: m?.data ?? null });
  }
  return { config, layers, modulesToSave };
}

function expectShape(key: string, actual: readonly number[], expected: readonly number[]) {
  if (actual.length !== expected.length || actual.some((d, i) => d !== expected[i] || !Number.isInteger(expected[i]))) {
    throw new AdapterShapeError(key, actual, expected);
  }
}

/** modules_to_save plus, for SEQ_CLS, the heads PEFT's PeftModelForSequenceClassification always adds. */
function savedModules(config: LoraConfig): string[] {
  const names = new Set(config.modules_to_save ?? []);
  if (config.task_type === "SEQ_CLS") for (const head of SEQ_CLS_HEADS) names.add(head);
  return [...names];
}

/** PEFT matches modules_to_save by module-name suffix: "score" covers "score.weight" and "x.score.bias". */
function underModule(path: string, modules: readonly string[]): boolean {
  const segments = path.split(".");
  return modules.some((m) => {
    const parts = m.split(".");
    for (let i = 0; i + parts.length < segments.length; i++) {
      if (parts.every((p, j) => segments[i + j] === p)) return true;
    }
    return false;
  });
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new LoraConfigError("<root>", text.slice(0, 40), `valid JSON (${(e as Error).message})`, source);
  }
}

function sortKeys(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
