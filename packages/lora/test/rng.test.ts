import { describe, expect, it } from "vitest";
import { Rng } from "../src/index.js";

/** xoshiro128** written out on BigInt words, independently of the class under test. */
function referenceNext(s: bigint[]): number {
  const m = 0xffffffffn;
  const rotl = (x: bigint, k: bigint) => ((x << k) | (x >> (32n - k))) & m;
  const result = (rotl((s[1] * 5n) & m, 7n) * 9n) & m;
  const t = (s[1] << 9n) & m;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 11n);
  return Number(result);
}

describe("Rng (xoshiro128**)", () => {
  it("follows the xoshiro128** recurrence from its state", () => {
    const rng = new Rng(42);
    const state = rng.state().slice(0, 4).map(BigInt);
    for (let i = 0; i < 100; i++) expect(rng.nextUint32()).toBe(referenceNext(state));
  });

  it("resumes exactly from an exported state, including a cached normal", () => {
    const a = new Rng(7);
    a.nextNormal();
    const b = Rng.fromState(a.state());
    for (let i = 0; i < 10; i++) expect(b.nextNormal()).toBe(a.nextNormal());
    expect(b.nextUint32()).toBe(a.nextUint32());
    expect(() => Rng.fromState([1, 2])).toThrow(RangeError);
  });

  it("scrambles small seeds: first floats of seeds 0..99 are spread over [0, 1)", () => {
    const firsts = Array.from({ length: 100 }, (_, seed) => new Rng(seed).nextFloat());
    expect(Math.min(...firsts)).toBeLessThan(0.1);
    expect(Math.max(...firsts)).toBeGreaterThan(0.9);
    const mean = firsts.reduce((a, b) => a + b, 0) / 100;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.1);
  });

  it("draws standard normals", () => {
    const rng = new Rng(3);
    const xs = Array.from({ length: 20000 }, () => rng.nextNormal());
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });

  it("draws integers uniformly from [0, n)", () => {
    const rng = new Rng(4);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30000; i++) counts[rng.nextInt(3)]++;
    for (const c of counts) expect(Math.abs(c - 10000)).toBeLessThan(400);
  });
});
