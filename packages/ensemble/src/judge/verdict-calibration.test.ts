import { describe, expect, it } from "vitest";
import { JudgeCalibrationError } from "./errors.js";
import {
  calibratedPrior,
  calibratedProbabilities,
  fitJudgeCalibration,
  parseJudgeCalibration,
  type LabelledVerdict,
} from "./verdict-calibration.js";

const seen = (order: "ab" | "ba", verdict: "A" | "B" | "tie" | null, label: number, times: number): LabelledVerdict[] =>
  Array.from({ length: times }, () => ({ order, verdict, label }));

describe("verdict calibration", () => {
  const observations = [
    ...seen("ab", "A", 0, 6),
    ...seen("ab", "A", 2, 2),
    ...seen("ab", "B", 1, 3),
    ...seen("ba", "A", 0, 1),
    ...seen("ba", null, 1, 2),
  ];
  const calibration = fitJudgeCalibration(observations, { alpha: 1, model: "m", templateVersion: "v" });

  it("counts verdicts against labels per order", () => {
    expect(calibration.labelCounts).toEqual([7, 5, 2]);
    expect(calibration.counts.ab).toEqual([6, 0, 2, 0, 3, 0, 0, 0, 0]);
    expect(calibration.counts.ba).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it("reads P(label | verdict) with Laplace smoothing, never 0 or 1", () => {
    expect([...calibratedProbabilities(calibration, "ab", "A")]).toEqual([7 / 11, 1 / 11, 3 / 11]);
    expect([...calibratedProbabilities(calibration, "ab", "B")]).toEqual([1 / 6, 4 / 6, 1 / 6]);
    // a verdict never seen falls back to uniform
    expect([...calibratedProbabilities(calibration, "ab", "tie")]).toEqual([1 / 3, 1 / 3, 1 / 3]);
    expect([...calibratedProbabilities(calibration, "ba", "A")]).toEqual([2 / 4, 1 / 4, 1 / 4]);
  });

  it("gives unreadable answers the smoothed label prior", () => {
    expect([...calibratedProbabilities(calibration, "ab", null)]).toEqual([8 / 17, 6 / 17, 3 / 17]);
    expect([...calibratedPrior(undefined)]).toEqual([1 / 3, 1 / 3, 1 / 3]);
  });

  it("round-trips through JSON and rejects broken files by field", () => {
    expect(parseJudgeCalibration(JSON.stringify(calibration), "cal.json")).toEqual(calibration);
    const broken = { ...calibration, counts: { ...calibration.counts, ba: [1, 2] } };
    expect(() => parseJudgeCalibration(JSON.stringify(broken), "cal.json")).toThrow(
      /cal\.json: counts\.ba must be 9 non-negative integers, got \[1,2\]/,
    );
    expect(() => parseJudgeCalibration("{", "cal.json")).toThrow(JudgeCalibrationError);
    expect(() => parseJudgeCalibration(JSON.stringify({ ...calibration, format: "x" }), "c")).toThrow(/format/);
  });

  it("rejects labels outside 0..2", () => {
    expect(() => fitJudgeCalibration(seen("ab", "A", 3, 1))).toThrow(/labelled verdict 0: label must be 0, 1 or 2, got 3/);
  });
});
