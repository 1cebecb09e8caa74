import type { DenseMatrix } from "../models/feature-matrix.js";
import { GbdtInputError } from "./errors.js";

/**
 * Per-feature bin edges. A value `x` falls in bin `#{ j : edges[j] < x }`, so "bin ≤ b" is exactly "x ≤ edges[b]":
 * a split found on bins is replayed on raw values with no rounding difference.
 */
export class BinMapper {
  private constructor(
    /** `edges[f]`: strictly increasing upper edges of feature f's bins (one fewer than its bin count). */
    readonly edges: readonly Float64Array[],
  ) {}

  /** Bins of feature f (edges + 1). */
  binCount(feature: number): number {
    return this.edges[feature].length + 1;
  }

  /** Largest bin count over all features: the histogram stride. */
  maxBinCount(): number {
    let m = 1;
    for (const e of this.edges) m = Math.max(m, e.length + 1);
    return m;
  }

  /**
   * Edges from the rows given: midpoints between distinct values when a feature has at most `maxBins` of them,
   * otherwise midpoints between values at evenly spaced quantiles.
   */
  static fit(x: DenseMatrix, maxBins: number): BinMapper {
    const column = new Float64Array(x.rows);
    const edges: Float64Array[] = [];
    for (let f = 0; f < x.cols; f++) {
      for (let i = 0; i < x.rows; i++) column[i] = x.data[i * x.cols + f];
      column.sort();
      edges.push(edgesOfSorted(column, maxBins));
    }
    return new BinMapper(edges);
  }

  /** Bins of every value, column-major (`bins[f * rows + i]`) so that a histogram pass reads one feature contiguously. */
  transform(x: DenseMatrix): Uint8Array {
    if (x.cols !== this.edges.length) {
      throw new GbdtInputError(`feature matrix has ${x.cols} columns; the bin mapper expects ${this.edges.length}`);
    }
    const bins = new Uint8Array(x.rows * x.cols);
    for (let f = 0; f < x.cols; f++) {
      const e = this.edges[f];
      const out = f * x.rows;
      for (let i = 0; i < x.rows; i++) bins[out + i] = binOf(e, x.data[i * x.cols + f]);
    }
    return bins;
  }
}

/** Number of edges strictly below `v` (binary search). */
function binOf(edges: Float64Array, v: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function edgesOfSorted(sorted: Float64Array, maxBins: number): Float64Array {
  const n = sorted.length;
  const distinct: number[] = [];
  for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]);
  const out: number[] = [];
  if (distinct.length <= maxBins) {
    for (let j = 0; j + 1 < distinct.length; j++) out.push(midpoint(distinct[j], distinct[j + 1]));
    return Float64Array.from(out);
  }
  for (let b = 1; b < maxBins; b++) {
    const pos = Math.min(n - 2, Math.floor((b * n) / maxBins) - 1);
    const lo = sorted[Math.max(0, pos)];
    let next = pos + 1;
    while (next < n && sorted[next] === lo) next++;
    if (next >= n) break;
    const edge = midpoint(lo, sorted[next]);
    if (out.length === 0 || edge > out[out.length - 1]) out.push(edge);
  }
  return Float64Array.from(out);
}

/** Midpoint that stays strictly inside (a, b) even for adjacent doubles. */
function midpoint(a: number, b: number): number {
  const m = a + (b - a) / 2;
  return m >= b ? a : m;
}
