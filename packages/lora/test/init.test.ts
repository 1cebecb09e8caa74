import { describe, expect, it } from "vitest";
import { initLoraLayer, loraScaling, parseLoraConfig, Rng, topSingular } from "../src/index.js";
import { matmul64, randomArray, relError, rowNorms64 } from "./reference.js";

/** W = U·diag(S)·Vᵀ with orthonormal U, V from Gram–Schmidt of seeded random matrices. */
function spectral(out: number, inF: number, S: number[]): { W: Float32Array; S: number[] } {
  const ortho = (rows: number, cols: number, seed: number) => {
    const M = Float64Array.from(randomArray(seed, rows * cols));
    for (let j = 0; j < cols; j++) {
      for (let p = 0; p < j; p++) {
        let d = 0;
        for (let i = 0; i < rows; i++) d += M[i * cols + p] * M[i * cols + j];
        for (let i = 0; i < rows; i++) M[i * cols + j] -= d * M[i * cols + p];
      }
      let n = 0;
      for (let i = 0; i < rows; i++) n += M[i * cols + j] ** 2;
      for (let i = 0; i < rows; i++) M[i * cols + j] /= Math.sqrt(n);
    }
    return M;
  };
  const k = S.length;
  const U = ortho(out, k, 1);
  const V = ortho(inF, k, 2);
  const W = new Float32Array(out * inF);
  for (let o = 0; o < out; o++) for (let i = 0; i < inF; i++) {
    let s = 0;
    for (let j = 0; j < k; j++) s += U[o * k + j] * S[j] * V[i * k + j];
    W[o * inF + i] = s;
  }
  return { W, S };
}

describe("initLoraLayer", () => {
  const target = { inFeatures: 64, outFeatures: 32 };

  it("true: Kaiming-uniform A in ±1/√in, zero B", () => {
    const { lora, residualWeight } = initLoraLayer(target, parseLoraConfig({ r: 8 }), new Rng(1));
    const bound = 1 / Math.sqrt(64);
    expect(Math.max(...lora.A.map(Math.abs))).toBeLessThanOrEqual(bound);
    expect(Math.max(...lora.A.map(Math.abs))).toBeGreaterThan(0.9 * bound);
    expect(lora.B.every((b) => b === 0)).toBe(true);
    expect(residualWeight).toBeNull();
  });

  it("gaussian: A ~ N(0, 1/r²), zero B", () => {
    const { lora } = initLoraLayer({ inFeatures: 4096, outFeatures: 8 }, parseLoraConfig({ r: 4, init_lora_weights: "gaussian" }), new Rng(2));
    const mean = lora.A.reduce((a, b) => a + b, 0) / lora.A.length;
    const std = Math.sqrt(lora.A.reduce((a, b) => a + (b - mean) ** 2, 0) / lora.A.length);
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(std).toBeGreaterThan(0.24);
    expect(std).toBeLessThan(0.26);
    expect(lora.B.every((b) => b === 0)).toBe(true);
  });

  it("false: B random too, in ±1/√r", () => {
    const { lora } = initLoraLayer(target, parseLoraConfig({ r: 4, init_lora_weights: false }), new Rng(3));
    expect(lora.B.some((b) => b !== 0)).toBe(true);
    expect(Math.max(...lora.B.map(Math.abs))).toBeLessThanOrEqual(0.5);
  });

  it("same seed, same weights", () => {
    const a = initLoraLayer(target, parseLoraConfig({}), new Rng(4)).lora;
    const b = initLoraLayer(target, parseLoraConfig({}), new Rng(4)).lora;
    expect(a.A).toEqual(b.A);
  });

  it.each(["pissa", "pissa_niter_4"] as const)("%s: s·B·A is the top-r SVD part of W and the residual holds the rest", (init) => {
    const { W, S } = spectral(40, 60, [9, 7, 5, 3, 2, 1, 0.5, 0.25]);
    const config = parseLoraConfig({ r: 3, lora_alpha: 6, init_lora_weights: init });
    const s = loraScaling(config);
    const { lora, residualWeight } = initLoraLayer({ inFeatures: 60, outFeatures: 40, weight: W }, config, new Rng(5));
    const BA = matmul64(lora.B, lora.A, 40, 3, 60);
    // residual + s·B·A = W exactly (to float rounding), and ‖residual‖² = Σ of the dropped σ².
    expect(relError(Float64Array.from(residualWeight!, (r, i) => r + s * BA[i]), W)).toBeLessThan(1e-6);
    const dropped = S.slice(3).reduce((a, x) => a + x * x, 0);
    const residual = residualWeight!.reduce((a, x) => a + x * x, 0);
    expect(Math.abs(residual - dropped) / dropped).toBeLessThan(1e-4);
    // PEFT's factor split: A and B share √(σ/s), so each row of A has norm √(σ_j / s).
    for (let j = 0; j < 3; j++) {
      const n = Math.sqrt(lora.A.slice(j * 60, (j + 1) * 60).reduce((a, x) => a + x * x, 0));
      expect(n).toBeCloseTo(Math.sqrt(S[j] / s), 4);
    }
  });

  it("use_dora: magnitude = row norms of W (B is zero)", () => {
    const W = randomArray(6, 32 * 64);
    const { lora } = initLoraLayer({ ...target, weight: W }, parseLoraConfig({ use_dora: true }), new Rng(6));
    expect(relError(lora.magnitude!, rowNorms64({ inF: 64, out: 32, r: 8, s: 1, W, A: lora.A, B: lora.B }))).toBeLessThan(1e-6);
    expect(() => initLoraLayer(target, parseLoraConfig({ use_dora: true }), new Rng(6))).toThrow(/needs the base weight/);
  });
});

describe("topSingular", () => {
  it("recovers the leading singular values of a known spectrum", () => {
    const { W, S } = spectral(50, 30, [10, 6, 3, 1, 0.1]);
    const top = topSingular(W, 50, 30, 3, new Rng(1), { niter: 4 });
    for (let j = 0; j < 3; j++) expect(top.S[j]).toBeCloseTo(S[j], 4);
  });
});
