import { describe, expect, it } from "vitest";
import { PredictionFileError } from "../errors.js";
import { alignPredictions, labelsFor, predictionTable } from "./prediction-table.js";
import { swapAverage, unswapProbabilities } from "./swap.js";

const probs = (...rows: number[][]) => Float64Array.from(rows.flat());

describe("predictionTable", () => {
  it("accepts rows summing to 1 within 1e-3", () => {
    const table = predictionTable("a.csv", ["x", "y"], probs([0.2, 0.3, 0.5], [0.3334, 0.3333, 0.3337]));
    expect(table.ids).toEqual(["x", "y"]);
  });

  it.each([
    [[0.5, -0.1, 0.6], /a\.csv row 2: winner_model_b is -0.1, expected a probability >= 0/],
    [[Number.NaN, 0.5, 0.5], /a\.csv row 2: winner_model_a is NaN/],
    [[0.5, 0.5, 0.002], /a\.csv row 2: probabilities sum to 1.002, expected 1 ± 0.001/],
  ])("names the file and the first bad row for %j", (row, message) => {
    const error = (() => {
      try {
        predictionTable("a.csv", ["x", "y", "z"], probs([1, 0, 0], row, [0.5, -1, 0]));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(PredictionFileError);
    expect((error as PredictionFileError).row).toBe(2);
    expect((error as Error).message).toMatch(message);
  });

  it("rejects duplicate and empty ids", () => {
    expect(() => predictionTable("a.csv", ["x", "x"], probs([1, 0, 0], [1, 0, 0]))).toThrow(/a\.csv row 2: duplicate id "x"/);
    expect(() => predictionTable("a.csv", [""], probs([1, 0, 0]))).toThrow(/a\.csv row 1: empty id/);
  });
});

describe("alignPredictions and labelsFor", () => {
  const first = predictionTable("first.csv", ["a", "b"], probs([1, 0, 0], [0, 1, 0]));

  it("reorders later tables to the first table's ids", () => {
    const second = predictionTable("second.csv", ["b", "a"], probs([0, 0, 1], [0.5, 0.5, 0]));
    const { ids, members } = alignPredictions([first, second]);
    expect(ids).toEqual(["a", "b"]);
    expect(Array.from(members[1])).toEqual([0.5, 0.5, 0, 0, 0, 1]);
    expect(Array.from(labelsFor(ids, { source: "labels.csv", ids: ["b", "a"], labels: Uint8Array.from([2, 1]) }))).toEqual([1, 2]);
  });

  it("names the file whose ids do not match", () => {
    const missing = predictionTable("second.csv", ["a", "c"], probs([1, 0, 0], [1, 0, 0]));
    expect(() => alignPredictions([first, missing])).toThrow(/second\.csv: has no row for id "b" \(row 2 of first\.csv\)/);
    const extra = predictionTable("third.csv", ["a", "b", "c"], probs([1, 0, 0], [1, 0, 0], [1, 0, 0]));
    expect(() => alignPredictions([first, extra])).toThrow(/third\.csv row 3: id "c" is not in first\.csv/);
    expect(() => labelsFor(["a", "b"], { source: "labels.csv", ids: ["a"], labels: Uint8Array.from([0]) })).toThrow(
      /labels\.csv: has no label for id "b" \(prediction row 2\)/,
    );
  });
});

describe("swap averaging", () => {
  it("maps swapped predictions back and averages them", () => {
    const original = probs([0.6, 0.3, 0.1]);
    const swapped = probs([0.2, 0.5, 0.3]); // the model's view of the row with A and B exchanged
    expect(Array.from(unswapProbabilities(swapped))).toEqual([0.5, 0.2, 0.3]);
    const averaged = swapAverage(original, swapped);
    [0.55, 0.25, 0.2].forEach((v, k) => expect(averaged[k]).toBeCloseTo(v, 15));
    // Averaging the swapped view gives exactly the swapped answer.
    expect(swapAverage(swapped, original)).toEqual(unswapProbabilities(averaged));
  });
});
