import { describe, expect, it } from "vitest";
import { MetricsError, averageWithSwapped, classificationMetrics, softmaxRows } from "./metrics.js";

describe("classificationMetrics", () => {
  it("computes mean −log softmax at the label and arg-max accuracy", () => {
    // row 0: logits (0, 0, 0) → p = 1/3 each; row 1: (ln 4, 0, 0) → p = (4/6, 1/6, 1/6)
    const metrics = classificationMetrics([0, 0, 0, Math.log(4), 0, 0], [2, 0], 3);
    expect(metrics.logLoss).toBeCloseTo((Math.log(3) + Math.log(6 / 4)) / 2, 14);
    expect(metrics.accuracy).toBe(0.5);
    expect(metrics.rows).toBe(2);
  });

  it("stays finite for huge logits", () => {
    expect(classificationMetrics([1000, -1000, 0], [1], 3).logLoss).toBeCloseTo(2000, 9);
  });

  it("names mismatched rows and bad labels", () => {
    expect(() => classificationMetrics([0, 0, 0], [0, 1], 3)).toThrow(new MetricsError("1 rows of logits but 2 labels"));
    expect(() => classificationMetrics([0, 0, 0], [3], 3)).toThrow(/row 0: label 3/);
    expect(() => classificationMetrics([0, 0], [0], 3)).toThrow(/do not form rows/);
  });
});

describe("softmaxRows / averageWithSwapped", () => {
  it("turns logits into probabilities and averages a swapped run with A and B exchanged back", () => {
    const p = softmaxRows([Math.log(2), 0, 0], 3);
    expect(Array.from(p)).toEqual([0.5, 0.25, 0.25]);
    const averaged = averageWithSwapped([0.5, 0.25, 0.25], [0.2, 0.6, 0.2]);
    expect(averaged[0]).toBeCloseTo(0.55, 15);
    expect(averaged[1]).toBeCloseTo(0.225, 15);
    expect(averaged[2]).toBeCloseTo(0.225, 15);
  });
});
