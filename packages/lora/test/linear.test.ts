import { describe, expect, it } from "vitest";
import { loraBackward, loraForward, Rng, ShapeError, type LinearWeights, type LoraLayerWeights } from "../src/index.js";
import { dot64, finiteDiff, forward64, randomArray, relError, rowNorms64, type RefLayer } from "./reference.js";

interface Case {
  name: string;
  T: number;
  inF: number;
  out: number;
  r: number;
  s: number;
  dora: boolean;
  dropout: number;
  bias: boolean;
}

const cases: Case[] = [
  { name: "LoRA", T: 5, inF: 7, out: 6, r: 3, s: 2, dora: false, dropout: 0, bias: true },
  { name: "LoRA, dropout", T: 9, inF: 20, out: 17, r: 4, s: 0.5, dora: false, dropout: 0.3, bias: false },
  { name: "rsLoRA scale, wide", T: 3, inF: 33, out: 9, r: 16, s: 16 / Math.sqrt(16), dora: false, dropout: 0, bias: true },
  { name: "DoRA", T: 6, inF: 11, out: 8, r: 2, s: 1.5, dora: true, dropout: 0, bias: true },
  { name: "DoRA, dropout", T: 7, inF: 10, out: 9, r: 3, s: 2, dora: true, dropout: 0.25, bias: true },
];

function build(c: Case) {
  const base: LinearWeights = {
    inFeatures: c.inF,
    outFeatures: c.out,
    weight: randomArray(1, c.out * c.inF, 0.5),
    bias: c.bias ? randomArray(2, c.out, 0.3) : null,
  };
  const lora: LoraLayerWeights = {
    inFeatures: c.inF,
    outFeatures: c.out,
    r: c.r,
    A: randomArray(3, c.r * c.inF, 0.4),
    B: randomArray(4, c.out * c.r, 0.4),
    magnitude: c.dora ? Float32Array.from(randomArray(5, c.out, 0.5), (v) => 1 + v) : null,
  };
  const x = randomArray(6, c.T * c.inF);
  const G = randomArray(7, c.T * c.out);
  return { base, lora, x, G };
}

describe.each(cases)("$name", (c) => {
  const { base, lora, x, G } = build(c);
  const rng = new Rng(99);
  const { y, cache } = loraForward(base, lora, c.s, x, c.T, { dropout: c.dropout, rng });
  const drop = cache.mask === null ? null : Float64Array.from(cache.mask.keep, (k) => k * cache.mask!.scale);
  const params = {
    x: Float64Array.from(x),
    W: Float64Array.from(base.weight),
    A: Float64Array.from(lora.A),
    B: Float64Array.from(lora.B),
    m: lora.magnitude === null ? null : Float64Array.from(lora.magnitude),
  };
  const layer = (frozenNorms: Float64Array | null = null): RefLayer => ({
    T: c.T, inF: c.inF, out: c.out, r: c.r, s: c.s,
    W: params.W, bias: base.bias, A: params.A, B: params.B, m: params.m, drop, frozenNorms,
  });
  const loss = () => dot64(forward64(layer(), params.x), G);

  it("forward matches float64 to 1e-5", () => {
    expect(relError(y, forward64(layer(), params.x))).toBeLessThan(1e-5);
  });

  it("dX, dA, dB match finite differences to 1e-5", () => {
    const g = loraBackward(base, lora, c.s, cache, G, { doraNorm: "exact" });
    expect(relError(g.dX, finiteDiff(params.x, loss))).toBeLessThan(1e-5);
    expect(relError(g.dA, finiteDiff(params.A, loss))).toBeLessThan(1e-5);
    expect(relError(g.dB, finiteDiff(params.B, loss))).toBeLessThan(1e-5);
    if (c.dora) expect(relError(g.dMagnitude!, finiteDiff(params.m!, loss))).toBeLessThan(1e-5);
    else expect(g.dMagnitude).toBeNull();
  });

  if (c.dora) it("detached-norm gradients (PEFT's) match finite differences with the norm held fixed", () => {
    const g = loraBackward(base, lora, c.s, cache, G);
    const norms = rowNorms64(layer());
    const frozen = () => dot64(forward64(layer(norms), params.x), G);
    expect(relError(g.dA, finiteDiff(params.A, frozen))).toBeLessThan(1e-5);
    expect(relError(g.dB, finiteDiff(params.B, frozen))).toBeLessThan(1e-5);
    expect(relError(g.dX, finiteDiff(params.x, frozen))).toBeLessThan(1e-5);
    expect(relError(g.dMagnitude!, finiteDiff(params.m!, frozen))).toBeLessThan(1e-5);
    // And it really differs from the exact gradient: the norm term is not negligible here.
    const exact = loraBackward(base, lora, c.s, cache, G, { doraNorm: "exact" });
    expect(relError(g.dA, exact.dA)).toBeGreaterThan(1e-3);
  });
});

describe("dropout", () => {
  it("replays the same mask from the same seed and drops about p of the inputs", () => {
    const c = cases[1];
    const { base, lora, x } = build(c);
    const a = loraForward(base, lora, 1, x, c.T, { dropout: 0.3, rng: new Rng(7) });
    const b = loraForward(base, lora, 1, x, c.T, { dropout: 0.3, rng: new Rng(7) });
    expect(b.y).toEqual(a.y);
    const big = loraForward(base, lora, 1, randomArray(9, 4000 * c.inF), 4000, { dropout: 0.3, rng: new Rng(8) });
    const dropped = big.cache.mask!.keep.reduce((n, k) => n + (k === 0 ? 1 : 0), 0) / big.cache.mask!.keep.length;
    expect(dropped).toBeGreaterThan(0.29);
    expect(dropped).toBeLessThan(0.31);
  });

  it("needs an rng when dropout > 0", () => {
    const { base, lora, x } = build(cases[0]);
    expect(() => loraForward(base, lora, 1, x, cases[0].T, { dropout: 0.1 })).toThrow(/rng/);
  });
});

describe("shape checks", () => {
  it("names the tensor and both sizes", () => {
    const { base, lora, x } = build(cases[0]);
    expect(() => loraForward(base, { ...lora, A: new Float32Array(3) }, 1, x, cases[0].T)).toThrow(ShapeError);
    expect(() => loraForward(base, lora, 1, x, 4)).toThrow(/x has 35 elements; expected 28/);
  });
});
