/**
 * Top-k singular triplets of a dense matrix by randomized subspace iteration (Halko, Martinsson & Tropp 2011),
 * what torch.svd_lowrank does for PEFT's "pissa_niter_N". Products run on the Float32 SIMD kernel; the small
 * orthogonalisations and the k×k eigenproblem run in Float64.
 */
import { gemm } from "./kernels/gemm.js";
import type { Rng } from "./rng.js";

/** The leading singular triplets, largest first: M ≈ U·diag(S)·Vt. */
export interface TopSingular {
  /** Left singular vectors, rows × k, row-major. */
  U: Float64Array;
  /** Singular values, descending. */
  S: Float64Array;
  /** Right singular vectors, k × cols, row-major. */
  Vt: Float64Array;
}

/** Options of topSingular. */
export interface TopSingularOptions {
  /** Subspace (power) iterations; more sharpens the top directions when the spectrum decays slowly. Defaults to `4`. */
  niter?: number;
  /** Extra columns sampled beyond k for accuracy. Defaults to `8`. */
  oversample?: number;
}

/** The k largest singular triplets of M (rows × cols, row-major). */
export function topSingular(M: Float32Array, rows: number, cols: number, k: number, rng: Rng, options: TopSingularOptions = {}): TopSingular {
  const rank = Math.min(rows, cols);
  if (!Number.isInteger(k) || k < 1 || k > rank) throw new RangeError(`topSingular: k = ${k}; expected 1..${rank}`);
  const l = Math.min(rank, k + (options.oversample ?? 8));
  const niter = options.niter ?? 4;
  const omega = new Float32Array(cols * l);
  rng.fillNormal(omega, 1);
  let Q: Float32Array = new Float32Array(rows * l);
  gemm(false, false, rows, l, cols, 1, M, omega, 0, Q);
  Q = orthonormalColumns(Q, rows, l);
  const Z = new Float32Array(cols * l);
  for (let it = 0; it < niter; it++) {
    gemm(true, false, cols, l, rows, 1, M, Q, 0, Z);
    const Zq = orthonormalColumns(Z, cols, l);
    gemm(false, false, rows, l, cols, 1, M, Zq, 0, Q);
    Q = orthonormalColumns(Q, rows, l);
  }
  // Small = Qᵀ·M (l × cols); its Gram matrix Small·Smallᵀ = W Λ Wᵀ gives σ = √λ, U = Q·W, Vt = Λ^-½ Wᵀ Small.
  const small = new Float32Array(l * cols);
  gemm(true, false, l, cols, rows, 1, Q, M, 0, small);
  const gram = new Float64Array(l * l);
  for (let a = 0; a < l; a++) {
    for (let b = a; b < l; b++) {
      let sum = 0;
      for (let c = 0; c < cols; c++) sum += small[a * cols + c] * small[b * cols + c];
      gram[a * l + b] = sum;
      gram[b * l + a] = sum;
    }
  }
  const { values, vectors } = symmetricEigen(gram, l);
  const order = Array.from({ length: l }, (_, i) => i).sort((a, b) => values[b] - values[a]);
  const U = new Float64Array(rows * k);
  const S = new Float64Array(k);
  const Vt = new Float64Array(k * cols);
  for (let j = 0; j < k; j++) {
    const e = order[j];
    const sigma = Math.sqrt(Math.max(values[e], 0));
    S[j] = sigma;
    for (let i = 0; i < rows; i++) {
      let sum = 0;
      for (let a = 0; a < l; a++) sum += Q[i * l + a] * vectors[a * l + e];
      U[i * k + j] = sum;
    }
    if (sigma > 0) {
      for (let c = 0; c < cols; c++) {
        let sum = 0;
        for (let a = 0; a < l; a++) sum += vectors[a * l + e] * small[a * cols + c];
        Vt[j * cols + c] = sum / sigma;
      }
    }
  }
  return { U, S, Vt };
}

/** Orthonormal basis of the columns of X (rows × n, row-major), by modified Gram–Schmidt applied twice. */
function orthonormalColumns(X: Float32Array, rows: number, n: number): Float32Array {
  const cols = new Float64Array(rows * n); // column-major
  for (let i = 0; i < rows; i++) for (let j = 0; j < n; j++) cols[j * rows + i] = X[i * n + j];
  for (let pass = 0; pass < 2; pass++) {
    for (let j = 0; j < n; j++) {
      const cj = j * rows;
      for (let p = 0; p < j; p++) {
        const cp = p * rows;
        let dot = 0;
        for (let i = 0; i < rows; i++) dot += cols[cp + i] * cols[cj + i];
        for (let i = 0; i < rows; i++) cols[cj + i] -= dot * cols[cp + i];
      }
      let norm = 0;
      for (let i = 0; i < rows; i++) norm += cols[cj + i] * cols[cj + i];
      norm = Math.sqrt(norm);
      // A column that vanished (rank-deficient input) becomes zero rather than noise.
      const inv = norm > 1e-300 ? 1 / norm : 0;
      for (let i = 0; i < rows; i++) cols[cj + i] *= inv;
    }
  }
  const out = new Float32Array(rows * n);
  for (let i = 0; i < rows; i++) for (let j = 0; j < n; j++) out[i * n + j] = cols[j * rows + i];
  return out;
}

/** Cyclic Jacobi eigen-decomposition of a symmetric n × n matrix (row-major); vectors are the columns. */
function symmetricEigen(matrix: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const a = matrix.slice();
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let total = 0;
    for (let p = 0; p < n; p++) {
      for (let q = 0; q < n; q++) {
        const x = a[p * n + q] * a[p * n + q];
        total += x;
        if (p !== q) off += x;
      }
    }
    if (off <= 1e-30 * total || off === 0) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (apq === 0) continue;
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p];
          const akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k];
          const aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p];
          const vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = a[i * n + i];
  return { values, vectors: v };
}
