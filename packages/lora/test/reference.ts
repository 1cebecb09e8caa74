/** Float64 references for the tests: plain triple loops, written independently of the kernels under test. */

export function randomArray(seed: number, n: number, scale = 1): Float32Array {
  // A small LCG so the references do not depend on the package's Rng.
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = ((s / 4294967296) * 2 - 1) * scale;
  }
  return out;
}

/** C = A[M×K] · B[K×N] in float64. */
export function matmul64(A: ArrayLike<number>, B: ArrayLike<number>, M: number, K: number, N: number): Float64Array {
  const C = new Float64Array(M * N);
  for (let i = 0; i < M; i++) for (let k = 0; k < K; k++) {
    const a = A[i * K + k];
    for (let j = 0; j < N; j++) C[i * N + j] += a * B[k * N + j];
  }
  return C;
}

export function transpose64(A: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const T = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) T[j * rows + i] = A[i * cols + j];
  return T;
}

export interface RefLayer {
  T: number; inF: number; out: number; r: number; s: number;
  W: ArrayLike<number>; bias: ArrayLike<number> | null;
  A: ArrayLike<number>; B: ArrayLike<number>; m: ArrayLike<number> | null;
  /** Dropout multipliers per x element (0 or 1/(1-p)), or null for none. */
  drop: ArrayLike<number> | null;
  /** DoRA: hold the row norms at these values (PEFT's detached norm) instead of computing them. */
  frozenNorms?: ArrayLike<number> | null;
}

/** LoRA / DoRA forward in float64, straight from the formulas. */
export function forward64(L: RefLayer, x: ArrayLike<number>): Float64Array {
  const { T, inF, out, r, s, W, A, B } = L;
  const xd = Float64Array.from(x, (v, i) => (L.drop === null ? v : v * L.drop[i]));
  const Wt = transpose64(W, out, inF);
  const base = matmul64(x, Wt, T, inF, out);
  const baseD = matmul64(xd, Wt, T, inF, out);
  const h = matmul64(xd, transpose64(A, r, inF), T, inF, r);
  const lora = matmul64(h, transpose64(B, out, r), T, r, out);
  const y = new Float64Array(T * out);
  let norms: ArrayLike<number> | null = null;
  if (L.m !== null) {
    norms = L.frozenNorms ?? rowNorms64(L);
  }
  for (let t = 0; t < T; t++) for (let o = 0; o < out; o++) {
    const i = t * out + o;
    const b = L.bias === null ? 0 : L.bias[o];
    if (L.m === null || norms === null) y[i] = base[i] + b + s * lora[i];
    else {
      const u = L.m[o] / norms[o];
      y[i] = base[i] + b + (u - 1) * baseD[i] + u * s * lora[i];
    }
  }
  return y;
}

/** ‖W + s·B·A‖ per row, float64. */
export function rowNorms64(L: Pick<RefLayer, "inF" | "out" | "r" | "s" | "W" | "A" | "B">): Float64Array {
  const BA = matmul64(L.B, L.A, L.out, L.r, L.inF);
  const n = new Float64Array(L.out);
  for (let o = 0; o < L.out; o++) {
    let sum = 0;
    for (let i = 0; i < L.inF; i++) {
      const v = L.W[o * L.inF + i] + L.s * BA[o * L.inF + i];
      sum += v * v;
    }
    n[o] = Math.sqrt(sum);
  }
  return n;
}

/** Central finite differences of loss(p) = Σ forward(p) ⊙ G over every element of `param` (float64 copy mutated). */
export function finiteDiff(param: Float64Array, loss: () => number, h = 1e-6): Float64Array {
  const g = new Float64Array(param.length);
  for (let i = 0; i < param.length; i++) {
    const keep = param[i];
    param[i] = keep + h;
    const up = loss();
    param[i] = keep - h;
    const down = loss();
    param[i] = keep;
    g[i] = (up - down) / (2 * h);
  }
  return g;
}

export function dot64(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** ‖a − b‖ / ‖b‖. */
export function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return Math.sqrt(num / Math.max(den, 1e-300));
}
