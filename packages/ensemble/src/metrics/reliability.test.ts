import { describe, expect, it } from "vitest";
import { expectedCalibrationError, reliabilityBins } from "./calibration.js";

describe("reliabilityBins", () => {
  // top-class confidences 0.5 (right), 0.5 (wrong), 0.9 (right) → bins (0.4,0.5] and (0.8,0.9]
  const probs = [
    [0.5, 0.3, 0.2],
    [0.2, 0.5, 0.3],
    [0.05, 0.05, 0.9],
  ];
  const labels = [0, 0, 2];

  it("puts each row in its confidence bin with mean confidence and accuracy", () => {
    const bins = reliabilityBins(probs, labels, 10);
    expect(bins[4]).toEqual({ confidence: 0.5, accuracy: 0.5, count: 2 });
    expect(bins[8].count).toBe(1);
    expect(bins[8].confidence).toBeCloseTo(0.9, 12);
    expect(bins[8].accuracy).toBe(1);
    expect(bins.reduce((n, b) => n + b.count, 0)).toBe(3);
  });

  it("gives the ECE as the count-weighted gap between accuracy and confidence", () => {
    // (2/3)·|0.5 − 0.5| + (1/3)·|1 − 0.9| = 1/30
    expect(expectedCalibrationError(probs, labels, 10)).toBeCloseTo(1 / 30, 12);
  });
});
