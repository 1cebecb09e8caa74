/**
 * LoraConfig: the fields of PEFT's adapter_config.json this package implements, under PEFT's own names and
 * defaults, plus one parse/validate function used at every boundary (files, user options).
 */
import { LoraConfigError } from "./errors.js";

/** PEFT's task types (peft.utils.peft_types.TaskType). */
export type TaskType = "SEQ_CLS" | "SEQ_2_SEQ_LM" | "CAUSAL_LM" | "TOKEN_CLS" | "QUESTION_ANS" | "FEATURE_EXTRACTION";

/** How LoRA weights start: PEFT's `init_lora_weights` values that this package implements. */
export type InitLoraWeights = boolean | "gaussian" | "pissa" | `pissa_niter_${number}`;

/** A LoRA adapter's configuration, field for field as in PEFT's adapter_config.json. */
export interface LoraConfig {
  /** Always "LORA". Defaults to `"LORA"`. */
  peft_type: "LORA";
  /** The task head the adapter was trained with (PEFT's default is null; this project trains classifiers). Defaults to `"SEQ_CLS"`. */
  task_type: TaskType | null;
  /** LoRA rank: A is r × in, B is out × r. Defaults to `8`. */
  r: number;
  /** Scale numerator: the update is (lora_alpha / r)·B·A, or (lora_alpha / √r)·B·A with use_rslora. Defaults to `8`. */
  lora_alpha: number;
  /** Dropout probability on the LoRA branch's input, in [0, 1). Defaults to `0`. */
  lora_dropout: number;
  /** Module names (suffix match) or one regex string the adapter wraps; null lets the trainer pick per architecture. Defaults to `null`. */
  target_modules: string[] | string | null;
  /** Rank-stabilised LoRA: scale by lora_alpha / √r instead of lora_alpha / r. Defaults to `false`. */
  use_rslora: boolean;
  /** DoRA: a learned per-output magnitude times the row-normalised W + s·B·A. Defaults to `false`. */
  use_dora: boolean;
  /** Init of A and B: true = Kaiming-uniform A, zero B; "gaussian" = N(0, 1/r) A, zero B; false = both random; "pissa" / "pissa_niter_N" = top-r SVD of W. Defaults to `true`. */
  init_lora_weights: InitLoraWeights;
  /** Extra modules trained in full and saved whole (PEFT adds "classifier" and "score" for SEQ_CLS). Defaults to `null`. */
  modules_to_save: string[] | null;
  /** The base model (hub id or path) the adapter belongs to. Defaults to `null`. */
  base_model_name_or_path: string | null;
  /** Only these layer indices get adapters (an index or a list); null = every layer. Defaults to `null`. */
  layers_to_transform: number[] | number | null;
  /** The name of the layer list used with layers_to_transform (e.g. "layers"); null = the architecture's usual one. Defaults to `null`. */
  layers_pattern: string[] | string | null;
  /** Which biases train: only "none" (no bias trained or saved) is implemented. Defaults to `"none"`. */
  bias: "none";
  /** Whether the saved adapter is for inference only; PEFT's save_pretrained writes true. Defaults to `false`. */
  inference_mode: boolean;
  /** Hub revision of the base model. Defaults to `null`. */
  revision: string | null;
  /** PEFT version that wrote the file, kept for provenance. Defaults to `null`. */
  peft_version: string | null;
}

/** PEFT's defaults (task_type excepted: this project's adapters are sequence classifiers). */
export const LORA_CONFIG_DEFAULTS: Readonly<LoraConfig> = Object.freeze({
  peft_type: "LORA",
  task_type: "SEQ_CLS",
  r: 8,
  lora_alpha: 8,
  lora_dropout: 0,
  target_modules: null,
  use_rslora: false,
  use_dora: false,
  init_lora_weights: true,
  modules_to_save: null,
  base_model_name_or_path: null,
  layers_to_transform: null,
  layers_pattern: null,
  bias: "none",
  inference_mode: false,
  revision: null,
  peft_version: null,
});

const TASK_TYPES: readonly TaskType[] = ["SEQ_CLS", "SEQ_2_SEQ_LM", "CAUSAL_LM", "TOKEN_CLS", "QUESTION_ANS", "FEATURE_EXTRACTION"];

/**
 * PEFT keys this package does not implement. A PEFT-written file carries them at their inert values, which are
 * accepted; any other value is refused, since ignoring it would load a different adapter than the one saved.
 */
const INERT_PEFT_KEYS: Record<string, (v: unknown) => boolean> = {
  auto_mapping: isNullish,
  exclude_modules: isNullish,
  fan_in_fan_out: (v) => v === false,
  rank_pattern: isEmpty,
  alpha_pattern: isEmpty,
  megatron_config: isNullish,
  megatron_core: (v) => v === "megatron.core" || v === null,
  loftq_config: isEmpty,
  eva_config: isNullish,
  corda_config: isNullish,
  layer_replication: isNullish,
  runtime_config: isEmpty,
  trainable_token_indices: isNullish,
  lora_bias: (v) => v === false,
  use_qalora: (v) => v === false,
  qalora_group_size: (v) => typeof v === "number",
  target_parameters: isEmpty,
  arrow_config: isNullish,
  ensure_weight_tying: (v) => v === false,
  alora_invocation_tokens: isNullish,
};

function isNullish(v: unknown) {
  return v === null || v === undefined;
}

function isEmpty(v: unknown) {
  if (isNullish(v)) return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === "object" && Object.keys(v as object).length === 0;
}

/**
 * Validates an adapter_config.json object (or user options) and fills PEFT's defaults. Unknown keys, PEFT options
 * this package does not implement (at non-inert values) and bad values each raise a LoraConfigError naming the
 * field, the value and what was expected. `source` names the file in messages.
 */
export function parseLoraConfig(input: unknown, source = "LoraConfig"): LoraConfig {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new LoraConfigError("<root>", input, "a JSON object", source);
  }
  const raw = input as Record<string, unknown>;
  const fail = (field: string, expected: string): never => {
    throw new LoraConfigError(field, raw[field], expected, source);
  };
  for (const key of Object.keys(raw)) {
    if (key in LORA_CONFIG_DEFAULTS) continue;
    const inert = INERT_PEFT_KEYS[key];
    if (inert === undefined) fail(key, `a known LoraConfig field (${Object.keys(LORA_CONFIG_DEFAULTS).join(", ")})`);
    else if (!inert(raw[key])) fail(key, "its PEFT default: this package does not implement that option");
  }
  const get = <K extends keyof LoraConfig>(key: K): unknown => (raw[key] === undefined ? LORA_CONFIG_DEFAULTS[key] : raw[key]);

  const peftType = get("peft_type");
  if (peftType !== "LORA") fail("peft_type", '"LORA"');
  const taskType = get("task_type");
  if (taskType !== null && !TASK_TYPES.includes(taskType as TaskType)) fail("task_type", `null or one of ${TASK_TYPES.join(", ")}`);
  const r = get("r");
  if (!Number.isInteger(r) || (r as number) < 1) fail("r", "a positive integer");
  const alpha = get("lora_alpha");
  if (typeof alpha !== "number" || !Number.isFinite(alpha) || alpha <= 0) fail("lora_alpha", "a positive finite number");
  const dropout = get("lora_dropout");
  if (typeof dropout !== "number" || !(dropout >= 0 && dropout < 1)) fail("lora_dropout", "a number in [0, 1)");
  const targets = get("target_modules");
  if (!(targets === null || typeof targets === "string" || isStringList(targets))) {
    fail("target_modules", "null, a regex string or a list of module names");
  }
  const init = get("init_lora_weights");
  if (!(typeof init === "boolean" || init === "gaussian" || init === "pissa" || (typeof init === "string" && /^pissa_niter_\d+$/.test(init)))) {
    fail("init_lora_weights", 'true, false, "gaussian", "pissa" or "pissa_niter_<n>"');
  }
  const modulesToSave = get("modules_to_save");
  if (!(modulesToSave === null || isStringList(modulesToSave))) fail("modules_to_save", "null or a list of module names");
  const layers = get("layers_to_transform");
  const isIndex = (v: unknown) => Number.isInteger(v) && (v as number) >= 0;
  if (!(layers === null || isIndex(layers) || (Array.isArray(layers) && layers.every(isIndex)))) {
    fail("layers_to_transform", "null, a layer index or a list of layer indices");
  }
  if (typeof targets === "string" && layers !== null) fail("layers_to_transform", "null when target_modules is a regex string");
  const pattern = get("layers_pattern");
  if (!(pattern === null || typeof pattern === "string" || isStringList(pattern))) fail("layers_pattern", "null, a string or a list of strings");
  if (get("bias") !== "none") fail("bias", '"none" (bias training is not implemented)');
  for (const key of ["use_rslora", "use_dora", "inference_mode"] as const) {
    if (typeof get(key) !== "boolean") fail(key, "true or false");
  }
  for (const key of ["base_model_name_or_path", "revision", "peft_version"] as const) {
    const v = get(key);
    if (!(v === null || typeof v === "string")) fail(key, "null or a string");
  }

  return {
    peft_type: "LORA",
    task_type: taskType as TaskType | null,
    r: r as number,
    lora_alpha: alpha as number,
    lora_dropout: dropout as number,
    target_modules: copyList(targets) as string[] | string | null,
    use_rslora: get("use_rslora") as boolean,
    use_dora: get("use_dora") as boolean,
    init_lora_weights: init as InitLoraWeights,
    modules_to_save: copyList(modulesToSave) as string[] | null,
    base_model_name_or_path: get("base_model_name_or_path") as string | null,
    layers_to_transform: copyList(layers) as number[] | number | null,
    layers_pattern: copyList(pattern) as string[] | string | null,
    bias: "none",
    inference_mode: get("inference_mode") as boolean,
    revision: get("revision") as string | null,
    peft_version: get("peft_version") as string | null,
  };
}

/** The LoRA scale s: lora_alpha / r, or lora_alpha / √r with use_rslora (rank-stabilised LoRA). */
export function loraScaling(config: Pick<LoraConfig, "r" | "lora_alpha" | "use_rslora">): number {
  return config.use_rslora ? config.lora_alpha / Math.sqrt(config.r) : config.lora_alpha / config.r;
}

function isStringList(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((s) => typeof s === "string");
}

function copyList<T>(v: T): T {
  return (Array.isArray(v) ? [...v] : v) as T;
}
