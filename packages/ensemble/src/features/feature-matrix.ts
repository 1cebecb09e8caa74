/** A dense row-major matrix of feature values: `data[row * cols + col]`. */
export interface FeatureMatrix {
  /** Number of rows (examples). */
  readonly rows: number;
  /** Number of columns (features). */
  readonly cols: number;
  /** Row-major values, `rows * cols` long. */
  readonly data: Float64Array;
}
