import { describe, expect, it } from "vitest";
import { runGbdtBenchmark } from "./benchmark.js";

describe("runGbdtBenchmark", () => {
  it("trains every requested round on learnable synthetic data and reports consistent rates", () => {
    const r = runGbdtBenchmark({ rows: 3000, features: 6, rounds: 8 });
    expect(r.rounds).toBe(8);
    expect(r.trees).toBe(24);
    expect(r.finalTrainLoss).toBeLessThan(Math.log(3) - 0.1);
    expect(r.rowsPerSecond).toBeCloseTo(3000 / r.trainSeconds, 6);
    expect(r.rowRoundsPerSecond).toBeCloseTo(r.rowsPerSecond * 8, 6);
    expect(r.trainCpuSeconds).toBeGreaterThan(0);
  });
});
