import { describe, expect, it } from "vitest";
import {
  averageAdapters,
  loraForward,
  merge,
  MergeNotFiniteError,
  parseLoraConfig,
  unmerge,
  type LoraAdapter,
  type LoraLayerWeights,
} from "../src/index.js";
import { matmul64, randomArray, relError, rowNorms64 } from "./reference.js";

function layer(out: number, inF: number, r: number, dora = false): LoraLayerWeights {
  return {
    inFeatures: inF,
    outFeatures: out,
    r,
    A: randomArray(out + 1, r * inF, 0.3),
    B: randomArray(inF + 2, out * r, 0.3),
    magnitude: dora ? Float32Array.from(randomArray(3, out), (v) => 1 + 0.5 * v) : null,
  };
}

describe("merge / unmerge", () => {
  it.each([
    [8, 8, 1],
    [13, 29, 5],
    [64, 96, 16],
    [130, 70, 64],
  ])("out=%i in=%i r=%i: merge is W + s·B·A and unmerge restores W to 1e-6", (out, inF, r) => {
    const lora = layer(out, inF, r);
    const W0 = randomArray(11, out * inF);
    const W = W0.slice();
    const s = 1.75;
    merge(W, lora, s);
    const BA = matmul64(lora.B, lora.A, out, r, inF);
    const expected = Float64Array.from(W0, (w, i) => w + s * BA[i]);
    expect(relError(W, expected)).toBeLessThan(1e-6);
    unmerge(W, lora, s);
    let worst = 0;
    for (let i = 0; i < W.length; i++) worst = Math.max(worst, Math.abs(W[i] - W0[i]));
    expect(worst).toBeLessThan(1e-6);
  });

  it("DoRA merge gives the layer DoRA computes, and unmerge restores W", () => {
    const out = 12, inF = 20, r = 4, s = 2, T = 5;
    const lora = layer(out, inF, r, true);
    const W0 = randomArray(12, out * inF);
    const x = randomArray(13, T * inF);
    const { y } = loraForward({ inFeatures: inF, outFeatures: out, weight: W0, bias: null }, lora, s, x, T);
    const W = W0.slice();
    const record = merge(W, lora, s);
    expect(record.variant).toBe("dora");
    // A merged layer is a plain linear layer: y = x·W'ᵀ.
    const yMerged = matmul64(x, Float64Array.from({ length: inF * out }, (_, k) => W[(k % out) * inF + Math.floor(k / out)]), T, inF, out);
    expect(relError(y, yMerged)).toBeLessThan(1e-5);
    // Each merged row has norm m: W' = m · V / ‖V‖.
    const norms = rowNorms64({ inF, out, r: 0, s: 0, W, A: [], B: [] });
    expect(relError(norms, lora.magnitude!)).toBeLessThan(1e-6);
    unmerge(W, lora, s, record);
    let worst = 0;
    for (let i = 0; i < W.length; i++) worst = Math.max(worst, Math.abs(W[i] - W0[i]));
    expect(worst).toBeLessThan(1e-6);
  });

  it("safe merge throws on overflow, naming the layer, and leaves W unchanged", () => {
    const lora = layer(4, 4, 2);
    lora.B.fill(3e38);
    lora.A.fill(3e38);
    const W = randomArray(1, 16);
    const before = W.slice();
    expect(() => merge(W, lora, 1, { safe: true, layer: "model.layers.3.self_attn.q_proj" })).toThrow(MergeNotFiniteError);
    expect(() => merge(W, lora, 1, { safe: true, layer: "model.layers.3.self_attn.q_proj" })).toThrow(/model\.layers\.3\.self_attn\.q_proj/);
    expect(W).toEqual(before);
    expect(() => merge(W, lora, 1, { layer: "x" })).toThrow(/the weight now holds it/);
  });

  it("NaN in the adapter raises too", () => {
    const lora = layer(4, 4, 2);
    lora.A[3] = NaN;
    expect(() => merge(randomArray(2, 16), lora, 1, { safe: true, layer: "L" })).toThrow(/layer "L".*element/);
  });
});

describe("averageAdapters", () => {
  const config = parseLoraConfig({ r: 2 });
  const make = (seed: number): LoraAdapter => ({
    config,
    layers: new Map([["model.layers.0.self_attn.q_proj", { ...layer(3, 4, 2), A: randomArray(seed, 8), B: randomArray(seed + 1, 6) }]]),
    modulesToSave: new Map([["score.weight", { dtype: "F32", shape: [2, 4], data: randomArray(seed + 2, 8) }]]),
  });

  it("is the normalised weighted mean of every tensor", () => {
    const a = make(1), b = make(10);
    const avg = averageAdapters([a, b], [1, 3]);
    const la = a.layers.get("model.layers.0.self_attn.q_proj")!;
    const lb = b.layers.get("model.layers.0.self_attn.q_proj")!;
    const l = avg.layers.get("model.layers.0.self_attn.q_proj")!;
    for (let i = 0; i < 8; i++) expect(l.A[i]).toBeCloseTo(0.25 * la.A[i] + 0.75 * lb.A[i], 6);
    for (let i = 0; i < 6; i++) expect(l.B[i]).toBeCloseTo(0.25 * la.B[i] + 0.75 * lb.B[i], 6);
    const h = avg.modulesToSave.get("score.weight")!;
    expect(h.data[5]).toBeCloseTo(0.25 * a.modulesToSave.get("score.weight")!.data[5] + 0.75 * b.modulesToSave.get("score.weight")!.data[5], 6);
  });

  it("refuses mismatched adapters and bad weights", () => {
    const a = make(1);
    const b = make(2);
    b.layers = new Map([["model.layers.1.self_attn.q_proj", b.layers.get("model.layers.0.self_attn.q_proj")!]]);
    expect(() => averageAdapters([a, b])).toThrow(/model\.layers\.0\.self_attn\.q_proj/);
    expect(() => averageAdapters([a, make(3)], [1, -1])).toThrow(/weights/);
    expect(() => averageAdapters([])).toThrow(/no adapters/);
  });
});
