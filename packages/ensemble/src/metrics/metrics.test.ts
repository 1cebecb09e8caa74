import { describe, expect, it } from "vitest";
import { accuracy, accuracyNoTies } from "./accuracy.js";
import { expectedCalibrationError } from "./calibration.js";
import { confusionMatrix } from "./confusion-matrix.js";
import { evaluatePredictions } from "./evaluate.js";
import { logLoss } from "./log-loss.js";

const probs = [
  [0.7, 0.2, 0.1],
  [0.1, 0.6, 0.3],
  [0.3, 0.3, 0.4],
  [0, 1, 0],
];
const labels = [0, 1, 0, 0];

describe("metrics on a hand-checked table", () => {
  it("log loss clips to 1e-15 and renormalises like Kaggle", () => {
    const lastRow = -Math.log(1e-15 / (1e-15 + (1 - 1e-15) + 1e-15));
    const want = (-Math.log(0.7) - Math.log(0.6) - Math.log(0.3) + lastRow) / 4;
    expect(logLoss(probs, labels)).toBeCloseTo(want, 12);
    expect(lastRow).toBeCloseTo(34.538776394910684, 9);
    expect(logLoss(Float64Array.from(probs.flat()), labels)).toBe(logLoss(probs, labels));
  });

  it("log loss of the uniform prediction is log 3", () => {
    expect(logLoss([[1 / 3, 1 / 3, 1 / 3]], [2])).toBeCloseTo(Math.log(3), 14);
  });

  it("accuracy, accuracy without ties, ECE and the confusion matrix", () => {
    expect(accuracy(probs, labels)).toBe(0.5);
    expect(accuracyNoTies(probs, labels)).toBe(0.75);
    expect(accuracyNoTies(probs, [2, 2, 2, 2])).toBeNaN();
    // bins (0.6,0.7], (0.5,0.6], (0.3,0.4], (0.9,1]: (|1-.7| + |1-.6| + |0-.4| + |0-1|) / 4
    expect(expectedCalibrationError(probs, labels)).toBeCloseTo(0.525, 12);
    expect(confusionMatrix(probs, labels)).toEqual([
      [1, 1, 1],
      [0, 1, 0],
      [0, 0, 0],
    ]);
  });

  it("evaluatePredictions gathers them", () => {
    const summary = evaluatePredictions(probs, labels);
    expect(summary).toMatchObject({ accuracy: 0.5, accuracyNoTies: 0.75, rows: 4 });
    expect(summary.ece).toBeCloseTo(0.525, 12);
  });

  it("rejects mismatched shapes and bad labels", () => {
    expect(() => logLoss(probs, [0, 1])).toThrow(/4 probability rows but 2 labels/);
    expect(() => accuracy([[0.5, 0.5]], [0])).toThrow(/row 0 has 2 probabilities, expected 3/);
    expect(() => accuracy(probs, [0, 1, 0, 3])).toThrow(/label 3 is 3/);
  });
});
