import { describe, expect, it } from "vitest";
import { gemm } from "../src/index.js";
import { matmul64, randomArray, relError, transpose64 } from "./reference.js";

describe("gemm (WebAssembly SIMD kernel)", () => {
  it.each([
    [false, false, 1, 1, 1],
    [false, false, 4, 8, 3],
    [false, true, 9, 13, 7],
    [true, false, 13, 9, 21],
    [true, true, 37, 70, 19],
    [false, false, 130, 600, 9],
    [true, false, 300, 1000, 20],
    [false, true, 301, 1001, 7],
  ])("transL=%s transR=%s M=%i N=%i K=%i matches float64", (transL, transR, M, N, K) => {
    const L = randomArray(M * 31 + K, M * K);
    const R = randomArray(N * 17 + K, K * N);
    const C = randomArray(5, M * N);
    const C0 = Float64Array.from(C);
    gemm(transL, transR, M, N, K, 0.75, L, R, -0.5, C);
    const Lm = transL ? transpose64(L, K, M) : L;
    const Rm = transR ? transpose64(R, N, K) : R;
    const P = matmul64(Lm, Rm, M, K, N);
    const expected = P.map((p, i) => 0.75 * p - 0.5 * C0[i]);
    expect(relError(C, expected)).toBeLessThan(1e-6);
  });

  it("ignores C's old contents (even NaN) when beta is 0", () => {
    const C = new Float32Array(12).fill(NaN);
    gemm(false, false, 3, 4, 2, 1, new Float32Array([1, 2, 3, 4, 5, 6]), new Float32Array([1, 0, 0, 1, 0, 1, 1, 0]), 0, C);
    expect([...C]).toEqual([1, 2, 2, 1, 3, 4, 4, 3, 5, 6, 6, 5]);
  });

  it("rejects operands shorter than the dimensions", () => {
    expect(() => gemm(false, false, 2, 2, 2, 1, new Float32Array(3), new Float32Array(4), 0, new Float32Array(4))).toThrow(RangeError);
  });
});
