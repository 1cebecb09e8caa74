import { describe, expect, it } from "vitest";
import { LrScheduleError, learningRateAt, warmupStepsFromRatio } from "./lr-schedule.js";

describe("learningRateAt", () => {
  const base = { peakLr: 1e-3, warmupSteps: 10, totalSteps: 110 };

  it("warms up linearly from 0 like HF (update 0 uses LR 0)", () => {
    expect(learningRateAt(base, 0)).toBe(0);
    expect(learningRateAt(base, 5)).toBeCloseTo(5e-4, 15);
    expect(learningRateAt(base, 10)).toBeCloseTo(1e-3, 15);
  });

  it("decays by a half cosine to 0 at totalSteps", () => {
    const cosine = { ...base, decay: "cosine" as const };
    expect(learningRateAt(cosine, 35)).toBeCloseTo(1e-3 * 0.5 * (1 + Math.SQRT1_2), 15);
    expect(learningRateAt(cosine, 60)).toBeCloseTo(5e-4, 15);
    expect(learningRateAt(cosine, 110)).toBe(0);
    expect(learningRateAt(cosine, 200)).toBe(0);
  });

  it("decays linearly to 0 at totalSteps", () => {
    const linear = { ...base, decay: "linear" as const };
    expect(learningRateAt(linear, 35)).toBeCloseTo(7.5e-4, 15);
    expect(learningRateAt(linear, 109)).toBeCloseTo(1e-5, 15);
    expect(learningRateAt(linear, 110)).toBe(0);
  });

  it("holds the peak with constant decay and starts at the peak without warmup", () => {
    expect(learningRateAt({ ...base, decay: "constant" }, 100)).toBe(1e-3);
    expect(learningRateAt({ peakLr: 2e-4, totalSteps: 4 }, 0)).toBe(2e-4);
  });

  it("rejects schedules that cannot describe a run", () => {
    expect(() => learningRateAt({ ...base, warmupSteps: 111 }, 0)).toThrow(LrScheduleError);
    expect(() => learningRateAt({ ...base, totalSteps: 0 }, 0)).toThrow(/totalSteps must be an integer ≥ 1, got 0/);
    expect(() => learningRateAt({ ...base, peakLr: Number.NaN }, 0)).toThrow(/peakLr/);
  });
});

describe("warmupStepsFromRatio", () => {
  it("rounds up like HF's warmup_ratio", () => {
    expect(warmupStepsFromRatio(0.1, 95)).toBe(10);
    expect(warmupStepsFromRatio(0, 95)).toBe(0);
    expect(() => warmupStepsFromRatio(1.5, 10)).toThrow(/\[0, 1\]/);
  });
});
