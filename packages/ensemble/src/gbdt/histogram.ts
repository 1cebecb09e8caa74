/**
 * Gradient histograms: for every feature and bin, the sums of gradient, hessian and row count over a node's rows.
 * Layout `hist[((f * stride) + bin) * 3 + {0: grad, 1: hess, 2: count}]`.
 */
export const HIST_FIELDS = 3;

/** Data the histogram pass reads; shared by every node of every tree in a round. */
export interface HistogramInput {
  /** Column-major bins, `bins[f * rows + i]`. */
  readonly bins: Uint8Array;
  /** Rows of the full training matrix. */
  readonly rows: number;
  /** Features. */
  readonly cols: number;
  /** Bins reserved per feature in a histogram. */
  readonly stride: number;
  /** Per-row gradient of the class being fitted. */
  readonly grad: Float64Array;
  /** Per-row hessian of the class being fitted. */
  readonly hess: Float64Array;
}

/** Fills `out` with the histogram of rows `indices[start..end)` over the features marked in `active`. */
export function buildHistogram(
  input: HistogramInput,
  indices: Uint32Array,
  start: number,
  end: number,
  active: Uint8Array,
  out: Float64Array,
): void {
  out.fill(0);
  const { bins, rows, stride, grad, hess } = input;
  for (let f = 0; f < input.cols; f++) {
    if (active[f] === 0) continue;
    const col = f * rows;
    const base = f * stride;
    for (let p = start; p < end; p++) {
      const r = indices[p];
      const slot = (base + bins[col + r]) * HIST_FIELDS;
      out[slot] += grad[r];
      out[slot + 1] += hess[r];
      out[slot + 2] += 1;
    }
  }
}

/** `out = parent − child`: the sibling's histogram without another pass over its rows. */
export function subtractHistogram(parent: Float64Array, child: Float64Array, out: Float64Array): void {
  for (let i = 0; i < out.length; i++) out[i] = parent[i] - child[i];
}
