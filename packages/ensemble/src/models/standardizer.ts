import { ModelFormatError } from "../errors.js";
import { denseMatrix, type DenseMatrix } from "./feature-matrix.js";

/** The saved form of a fitted standardiser. */
export interface StandardizerJson {
  /** Format tag, checked on load. */
  readonly kind: "standardizer";
  /** Training mean per column. */
  readonly means: number[];
  /** Positive divisor per column (population standard deviation, 1 for constant columns). */
  readonly scales: number[];
}

/** Per-column centring and scaling, fitted on training rows and saved with the model that uses it. */
export class Standardizer {
  private constructor(
    /** Training mean per column, subtracted first. */
    readonly means: Float64Array,
    /** Population standard deviations; constant columns get 1 so they map to 0 rather than NaN. */
    readonly scales: Float64Array,
  ) {}

  /** Column means and population standard deviations of the rows of `x`. */
  static fit(x: DenseMatrix): Standardizer {
    const { rows, cols, data } = x;
    const means = new Float64Array(cols);
    const scales = new Float64Array(cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) means[j] += data[i * cols + j];
    for (let j = 0; j < cols; j++) means[j] /= Math.max(rows, 1);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        const centred = data[i * cols + j] - means[j];
        scales[j] += centred * centred;
      }
    }
    for (let j = 0; j < cols; j++) {
      const std = Math.sqrt(scales[j] / Math.max(rows, 1));
      scales[j] = std > 1e-12 ? std : 1;
    }
    return new Standardizer(means, scales);
  }

  /** A new matrix with every column centred and scaled. */
  transform(x: DenseMatrix): DenseMatrix {
    const { rows, cols, data } = x;
    if (cols !== this.means.length) {
      throw new RangeError(`standardizer: fitted on ${this.means.length} columns, input has ${cols}`);
    }
    const out = new Float64Array(data.length);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) out[i * cols + j] = (data[i * cols + j] - this.means[j]) / this.scales[j];
    }
    return denseMatrix(out, rows, cols);
  }

  /** The means and scales as plain JSON. */
  toJSON(): StandardizerJson {
    return { kind: "standardizer", means: Array.from(this.means), scales: Array.from(this.scales) };
  }

  /** Rebuilds a standardizer saved with {@link Standardizer.toJSON}; throws {@link ModelFormatError} on mismatched lengths, non-finite means or non-positive scales. */
  static fromJSON(json: StandardizerJson): Standardizer {
    if (json?.kind !== "standardizer") throw new ModelFormatError("standardizer JSON", `kind is ${JSON.stringify(json?.kind)}`);
    const { means, scales } = json;
    if (!Array.isArray(means) || !Array.isArray(scales) || means.length !== scales.length) {
      throw new ModelFormatError("standardizer JSON", "means and scales must be arrays of one length");
    }
    if (![...means, ...scales].every(Number.isFinite) || scales.some((s) => s <= 0)) {
      throw new ModelFormatError("standardizer JSON", "means must be finite and scales positive");
    }
    return new Standardizer(Float64Array.from(means), Float64Array.from(scales));
  }
}
