/**
 * Feature matrices the linear models read: dense row-major for a few hand-made features, CSR for sparse text
 * features (TF-IDF has tens of thousands of columns, so a dense copy would not fit for the full data set).
 */

/** A dense row-major `rows × cols` matrix. */
export interface DenseMatrix {
  /** Discriminant: a dense matrix. */
  readonly kind: "dense";
  /** Number of rows (samples). */
  readonly rows: number;
  /** Number of columns (features). */
  readonly cols: number;
  /** Row-major values, length `rows * cols`. */
  readonly data: Float64Array;
}

/** A compressed-sparse-row `rows × cols` matrix. */
export interface SparseMatrix {
  /** Discriminant: compressed sparse row storage. */
  readonly kind: "csr";
  /** Number of rows (samples). */
  readonly rows: number;
  /** Number of columns (features); every column index is below this. */
  readonly cols: number;
  /** Row `r`'s entries are `indices/values[indptr[r] .. indptr[r + 1])`; length `rows + 1`. */
  readonly indptr: Int32Array;
  /** Column index of each stored entry, ascending within a row. */
  readonly indices: Int32Array;
  /** Value of each stored entry, aligned with `indices`. */
  readonly values: Float64Array;
}

/** Either matrix layout; the linear models accept both, telling them apart by `kind`. */
export type FeatureMatrix = DenseMatrix | SparseMatrix;

/** Wraps row-major values as a dense matrix, checking the length. */
export function denseMatrix(data: Float64Array, rows: number, cols: number): DenseMatrix {
  if (data.length !== rows * cols) {
    throw new RangeError(`dense matrix: expected ${rows} × ${cols} = ${rows * cols} values, got ${data.length}`);
  }
  return { kind: "dense", rows, cols, data };
}

/** Builds a dense matrix from nested rows (convenient in tests and small inputs). */
export function denseFromRows(rows: readonly (readonly number[])[]): DenseMatrix {
  const cols = rows.length === 0 ? 0 : rows[0].length;
  const data = new Float64Array(rows.length * cols);
  rows.forEach((row, r) => {
    if (row.length !== cols) throw new RangeError(`dense matrix: row ${r} has ${row.length} values, expected ${cols}`);
    data.set(row, r * cols);
  });
  return denseMatrix(data, rows.length, cols);
}

/** `out[i, k] = bias[k] + Σ_j X[i, j] · W[k, j]`, with `W` row-major `classes × cols` and `out` `rows × classes`. */
export function linearScores(
  x: FeatureMatrix,
  weights: Float64Array,
  bias: Float64Array,
  classes: number,
  out: Float64Array,
): void {
  const d = x.cols;
  for (let i = 0; i < x.rows; i++) {
    for (let k = 0; k < classes; k++) out[i * classes + k] = bias[k];
  }
  if (x.kind === "dense") {
    const data = x.data;
    for (let i = 0; i < x.rows; i++) {
      const row = i * d;
      for (let k = 0; k < classes; k++) {
        const w = k * d;
        let s = 0;
        for (let j = 0; j < d; j++) s += data[row + j] * weights[w + j];
        out[i * classes + k] += s;
      }
    }
    return;
  }
  const { indptr, indices, values } = x;
  for (let i = 0; i < x.rows; i++) {
    for (let k = 0; k < classes; k++) {
      const w = k * d;
      let s = 0;
      for (let p = indptr[i]; p < indptr[i + 1]; p++) s += values[p] * weights[w + indices[p]];
      out[i * classes + k] += s;
    }
  }
}

/** `gradient[k, j] += Σ_i residual[i, k] · X[i, j]`: the transposed product the gradient needs. */
export function accumulateTransposedProduct(
  x: FeatureMatrix,
  residual: Float64Array,
  classes: number,
  gradient: Float64Array,
): void {
  const d = x.cols;
  if (x.kind === "dense") {
    const data = x.data;
    for (let i = 0; i < x.rows; i++) {
      const row = i * d;
      for (let k = 0; k < classes; k++) {
        const r = residual[i * classes + k];
        if (r === 0) continue;
        const w = k * d;
        for (let j = 0; j < d; j++) gradient[w + j] += r * data[row + j];
      }
    }
    return;
  }
  const { indptr, indices, values } = x;
  for (let i = 0; i < x.rows; i++) {
    for (let k = 0; k < classes; k++) {
      const r = residual[i * classes + k];
      const w = k * d;
      for (let p = indptr[i]; p < indptr[i + 1]; p++) gradient[w + indices[p]] += r * values[p];
    }
  }
}

/** Stacks two matrices of the same kind and width on top of each other. */
export function stackRows(top: FeatureMatrix, bottom: FeatureMatrix): FeatureMatrix {
  if (top.cols !== bottom.cols) throw new RangeError(`stack rows: widths differ (${top.cols} vs ${bottom.cols})`);
  if (top.kind === "dense" && bottom.kind === "dense") {
    const data = new Float64Array(top.data.length + bottom.data.length);
    data.set(top.data);
    data.set(bottom.data, top.data.length);
    return denseMatrix(data, top.rows + bottom.rows, top.cols);
  }
  if (top.kind === "csr" && bottom.kind === "csr") {
    const nnzTop = top.indptr[top.rows];
    const indptr = new Int32Array(top.rows + bottom.rows + 1);
    indptr.set(top.indptr);
    for (let r = 1; r <= bottom.rows; r++) indptr[top.rows + r] = nnzTop + bottom.indptr[r];
    const nnz = nnzTop + bottom.indptr[bottom.rows];
    const indices = new Int32Array(nnz);
    const values = new Float64Array(nnz);
    indices.set(top.indices.subarray(0, nnzTop));
    indices.set(bottom.indices.subarray(0, bottom.indptr[bottom.rows]), nnzTop);
    values.set(top.values.subarray(0, nnzTop));
    values.set(bottom.values.subarray(0, bottom.indptr[bottom.rows]), nnzTop);
    return { kind: "csr", rows: top.rows + bottom.rows, cols: top.cols, indptr, indices, values };
  }
  throw new TypeError("stack rows: cannot stack a dense and a sparse matrix");
}
