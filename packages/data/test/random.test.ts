import { describe, expect, it } from "vitest";
import { createRandom, shuffle } from "../src/random.js";

describe("createRandom", () => {
  it("matches an independent Python implementation of splitmix32 seeding + xoshiro128**", () => {
    // Python, 32-bit masked integer arithmetic, same constants (see random.ts)
    const r0 = createRandom(0);
    expect([r0.next(), r0.next(), r0.next(), r0.next()]).toEqual([
      0.8868539538234472, 0.26395898405462503, 0.012474989285692573, 0.6732365123461932,
    ]);
    const r1 = createRandom(12345);
    expect([r1.next(), r1.next()]).toEqual([0.12076167785562575, 0.10254896758124232]);
  });

  it("is roughly uniform on [0, 1)", () => {
    const random = createRandom(7);
    const bins = new Int32Array(10);
    let outside = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = random.next();
      if (!(x >= 0 && x < 1)) outside += 1;
      else bins[Math.floor(x * 10)] += 1;
    }
    expect(outside).toBe(0);
    // each bin expects 10,000 with standard deviation ≈ 95; 6 σ leaves no room for a flaky failure
    for (const count of bins) expect(Math.abs(count - 10_000)).toBeLessThan(570);
  });

  it("shuffle is a permutation", () => {
    const shuffled = shuffle(Int32Array.from({ length: 50 }, (_, i) => i), createRandom(1));
    expect(Array.from(shuffled).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(Array.from(shuffled)).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
  });
});
