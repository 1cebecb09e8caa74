import { ModelConfigError } from "./config-error.js";

/**
 * Class labels from a HF config: `id2label` (keys are decimal ids) when present, checked against `num_labels`;
 * else `num_labels` generic names (`LABEL_0`…), HF's default being 2.
 */
export function parseHfLabels(raw: Readonly<Record<string, unknown>>, source: string): string[] {
  const id2label = raw.id2label;
  if (id2label !== undefined && id2label !== null) {
    if (typeof id2label !== "object" || Array.isArray(id2label)) {
      throw new ModelConfigError(source, "id2label", `must be an object {"0": label, …}, got ${JSON.stringify(id2label)}`);
    }
    const entries = Object.entries(id2label as Record<string, unknown>);
    const labels = new Array<string>(entries.length);
    for (const [key, label] of entries) {
      const index = Number(key);
      if (!Number.isInteger(index) || index < 0 || index >= entries.length || labels[index] !== undefined) {
        throw new ModelConfigError(source, "id2label", `keys must be the ids 0..${entries.length - 1}, got ${JSON.stringify(key)}`);
      }
      labels[index] = String(label);
    }
    if (typeof raw.num_labels === "number" && raw.num_labels !== labels.length) {
      throw new ModelConfigError(source, "num_labels", `is ${raw.num_labels} but id2label has ${labels.length} entries`);
    }
    return labels;
  }
  const count = raw.num_labels ?? 2;
  if (typeof count !== "number" || !Number.isInteger(count) || count < 1) {
    throw new ModelConfigError(source, "num_labels", `must be an integer ≥ 1, got ${JSON.stringify(count)}`);
  }
  return Array.from({ length: count }, (_, i) => `LABEL_${i}`);
}

/** Reads HF config fields with one error style: file, field, value, expectation. */
export class ConfigFields {
  constructor(
    private readonly raw: Readonly<Record<string, unknown>>,
    private readonly source: string,
  ) {}

  /** An integer ≥ `min`. */
  int(field: string, min: number): number {
    const value = this.raw[field];
    if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
      throw new ModelConfigError(this.source, field, `must be an integer ≥ ${min}, got ${describe(value)}`);
    }
    return value;
  }

  /** A finite number > 0. */
  positive(field: string): number {
    const value = this.raw[field];
    if (typeof value !== "number" || !(value > 0) || !Number.isFinite(value)) {
      throw new ModelConfigError(this.source, field, `must be a finite number > 0, got ${describe(value)}`);
    }
    return value;
  }

  /** A finite number > 0, or null when the field is null or absent. */
  optionalPositive(field: string): number | null {
    const value = this.raw[field];
    return value === null || value === undefined ? null : this.positive(field);
  }

  /** null, or a token id in `[0, vocabSize)` (the first when HF lists several). */
  tokenId(field: string, vocabSize: number): number | null {
    let value = this.raw[field];
    if (Array.isArray(value)) value = value[0];
    if (value === null || value === undefined) return null;
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value >= vocabSize) {
      throw new ModelConfigError(this.source, field, `must be null or a token id in [0, ${vocabSize}), got ${describe(value)}`);
    }
    return value;
  }

  /** One of `allowed`. */
  oneOf<T extends string>(field: string, allowed: readonly T[]): T {
    const value = this.raw[field];
    if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
      throw new ModelConfigError(this.source, field, `must be one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}, got ${describe(value)}`);
    }
    return value as T;
  }
}

function describe(value: unknown): string {
  return value === undefined ? "nothing" : JSON.stringify(value);
}
