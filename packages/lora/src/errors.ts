/** Typed errors of @lora-litee/lora: each names the file / key / field, the value found and what was expected. */

/** A LoraConfig field has an unknown name or a bad value. */
export class LoraConfigError extends Error {
  override name = "LoraConfigError";
  /** The offending field (adapter_config.json key). */
  readonly field: string;
  /** The value found. */
  readonly value: unknown;
  /** What was expected instead. */
  readonly expected: string;
  /** Where the config came from, e.g. a file path. */
  readonly source: string;
  constructor(field: string, value: unknown, expected: string, source = "LoraConfig") {
    super(`${source}: field "${field}" = ${describe(value)}; expected ${expected}`);
    this.field = field;
    this.value = value;
    this.expected = expected;
    this.source = source;
  }
}

/** Matrix arguments whose lengths do not match the dimensions given. */
export class ShapeError extends Error {
  override name = "ShapeError";
}

/** A merge produced NaN or ±Infinity (a safe merge leaves the weight as it was). */
export class MergeNotFiniteError extends Error {
  override name = "MergeNotFiniteError";
  /** The layer (module path) being merged. */
  readonly layer: string;
  /** Flat index of the first non-finite element of the merged weight. */
  readonly index: number;
  /** True when the weight was left as it was (safe merge); false when it holds the non-finite result. */
  readonly weightUnchanged: boolean;
  constructor(layer: string, index: number, weightUnchanged: boolean) {
    super(
      `merge of layer "${layer}" produced a non-finite value at element ${index}; ` +
        (weightUnchanged ? "the weight was left unchanged" : "the weight now holds it (merge with safe: true to avoid that)"),
    );
    this.layer = layer;
    this.index = index;
    this.weightUnchanged = weightUnchanged;
  }
}

/** Base class of every safetensors format problem. */
export class SafetensorsError extends Error {
  override name = "SafetensorsError";
  /** The file (or "<bytes>") being read. */
  readonly file: string;
  constructor(message: string, file: string) {
    super(`${file}: ${message}`);
    this.file = file;
  }
}

/** The 8-byte length prefix or the JSON header itself is invalid (too large, past the end, not a JSON object). */
export class SafetensorsHeaderError extends SafetensorsError {
  override name = "SafetensorsHeaderError";
}

/** A tensor declares a dtype this reader does not know. */
export class SafetensorsDtypeError extends SafetensorsError {
  override name = "SafetensorsDtypeError";
}

/** A tensor's data_offsets overlap another tensor, leave a gap, or fall outside the data section. */
export class SafetensorsOffsetError extends SafetensorsError {
  override name = "SafetensorsOffsetError";
}

/** A tensor's shape × dtype size does not equal its byte length, or the shape is not a list of integers. */
export class SafetensorsShapeError extends SafetensorsError {
  override name = "SafetensorsShapeError";
}

/** An adapter tensor's shape does not fit the model or the adapter config. */
export class AdapterShapeError extends Error {
  override name = "AdapterShapeError";
  /** The safetensors key, e.g. `base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight`. */
  readonly key: string;
  /** The shape stored in the adapter. */
  readonly actual: readonly number[];
  /** The shape the model or config implies. */
  readonly expected: readonly number[];
  constructor(key: string, actual: readonly number[], expected: readonly number[]) {
    super(`adapter tensor "${key}" has shape [${actual.join(", ")}] but [${expected.join(", ")}] is expected`);
    this.key = key;
    this.actual = actual;
    this.expected = expected;
  }
}

/** An adapter file holds a key this package cannot place, or lacks one it needs. */
export class AdapterKeyError extends Error {
  override name = "AdapterKeyError";
  /** The key at fault. */
  readonly key: string;
  constructor(key: string, message: string) {
    super(`adapter key "${key}": ${message}`);
    this.key = key;
  }
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
