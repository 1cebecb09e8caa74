/**
 * Float32 matrix product on a WebAssembly SIMD kernel (src/kernels/gemm.wat: 4×8 register blocks of f32x4,
 * columns chunked for cache). Plain JS loops top out near 2 GFLOP/s here; the SIMD kernel is ~6× that, which is
 * what keeps a 4096×4096, r = 64 merge well under a second. Operands are copied into the module's memory per call
 * (O(size) next to the O(size·K) product) and the result copied back.
 */
import { GEMM_WASM_BASE64 } from "./gemm-wasm.js";

// Only the slice of the WebAssembly API used here (the package's lib settings carry no DOM types).
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: GemmExports };
};

interface GemmExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  nn(
    M: number, N: number, K: number, alpha: number, L: number, ls: number, ks: number,
    R: number, beta: number, C: number, jc: number,
  ): void;
}

// One instance is enough: calls are synchronous, so they never share the arena at the same time.
let kernel: GemmExports | undefined;

function gemmKernel(): GemmExports {
  if (kernel === undefined) {
    const bytes = Uint8Array.from(atob(GEMM_WASM_BASE64), (c) => c.charCodeAt(0));
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
    kernel = instance.exports;
  }
  return kernel;
}

function reserve(k: GemmExports, bytes: number): Float32Array {
  const missing = bytes - k.memory.buffer.byteLength;
  if (missing > 0) k.memory.grow(Math.ceil(missing / 65536));
  return new Float32Array(k.memory.buffer);
}

const align4 = (n: number) => (n + 3) & ~3;

/**
 * C[M×N] = beta·C + alpha · op(L) · op(R). Without transposes L is M×K and R is K×N, row-major; `transL` means L is
 * stored K×M, `transR` that R is stored N×K. With beta = 0, C's old contents (even NaN) are ignored.
 * R is copied in once; rows of L and C then pass through the module in blocks of about a megabyte, so a large C
 * (a merged 4096×4096 weight) is streamed through cache instead of copied whole.
 */
export function gemm(
  transL: boolean,
  transR: boolean,
  M: number,
  N: number,
  K: number,
  alpha: number,
  L: Float32Array,
  R: Float32Array,
  beta: number,
  C: Float32Array,
): void {
  if (M === 0 || N === 0) return;
  if (L.length < M * K || R.length < K * N || C.length < M * N) {
    throw new RangeError(`gemm: operands too short for ${M}×${K} · ${K}×${N} (got ${L.length}, ${R.length}, ${C.length})`);
  }
  const k = gemmKernel();
  const rows = Math.min(M, Math.max(4, Math.floor(262144 / (N + K) / 4) * 4));
  const rOff = 0;
  const lOff = align4(K * N);
  const cOff = lOff + align4(rows * K);
  let mem = reserve(k, 4 * (cOff + rows * N));
  if (transR) {
    for (let n = 0; n < N; n++) {
      const src = n * K;
      for (let kk = 0; kk < K; kk++) mem[rOff + kk * N + n] = R[src + kk];
    }
  } else {
    mem.set(R.subarray(0, K * N), rOff);
  }
  const jc = Math.max(64, Math.floor(65536 / Math.max(1, K) / 8) * 8);
  for (let i0 = 0; i0 < M; i0 += rows) {
    const mb = Math.min(rows, M - i0);
    mem = new Float32Array(k.memory.buffer);
    if (transL) {
      // The block's columns of the stored K×M matrix, kept K×mb so the kernel reads them with strides (1, mb).
      for (let kk = 0; kk < K; kk++) {
        const src = kk * M + i0;
        const dst = lOff + kk * mb;
        for (let i = 0; i < mb; i++) mem[dst + i] = L[src + i];
      }
    } else {
      mem.set(L.subarray(i0 * K, (i0 + mb) * K), lOff);
    }
    if (beta !== 0) mem.set(C.subarray(i0 * N, (i0 + mb) * N), cOff);
    k.nn(mb, N, K, alpha, 4 * lOff, transL ? 1 : K, transL ? mb : 1, 4 * rOff, beta, 4 * cOff, jc);
    C.set(mem.subarray(cOff, cOff + mb * N), i0 * N);
  }
}
