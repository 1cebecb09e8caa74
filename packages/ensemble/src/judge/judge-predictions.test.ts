import { describe, expect, it } from "vitest";
import type { CachedJudgeAnswer } from "./cache.js";
import { judgePredictions, labelledVerdicts } from "./judge-predictions.js";
import type { Verdict } from "./parse-verdict.js";
import type { JudgeCalibration } from "./verdict-calibration.js";

const answer = (verdict: Verdict | null, top: [string, number][] | null = null): CachedJudgeAnswer => ({
  verdict,
  reply: verdict ?? "no idea",
  topLogprobs: top && top.map(([token, p]) => ({ token, logprob: Math.log(p) })),
  requests: 1,
  promptTokens: 0,
  completionTokens: 0,
});

// ab: "A" was said for labels A,A,A,tie; "B" for label B. ba (mapped back): "A" for labels A,B.
const calibration: JudgeCalibration = {
  format: "litee-judge-calibration",
  version: 1,
  templateVersion: "v",
  model: "m",
  alpha: 1,
  labelCounts: [4, 2, 1],
  counts: { ab: [3, 0, 1, 0, 1, 0, 0, 0, 0], ba: [1, 1, 0, 0, 0, 0, 0, 0, 0] },
};

const row = (p: Float64Array, i: number) => [...p.subarray(i * 3, i * 3 + 3)];
const close = (values: number[]) => values.map((x) => expect.closeTo(x, 14));

describe("judgePredictions", () => {
  it("maps the swapped order back: log-probabilities swap columns, verdicts are calibrated as mapped back", () => {
    const { probabilities, fromLogprobs, fromVerdicts, fromPrior } = judgePredictions(
      [
        // shown swapped, the model leans to its "A" = the original B
        { id: "x", ab: answer("B", [["A", 0.2], ["B", 0.7], ["tie", 0.1]]), ba: answer("A", [["A", 0.6], ["B", 0.3], ["tie", 0.1]]) },
        // verdict-only: ab "A"; ba says "B", i.e. the original A
        { id: "y", ab: answer("A"), ba: answer("B") },
        // unreadable first, readable second
        { id: "z", ab: answer(null), ba: answer("B") },
      ],
      calibration,
    );
    expect(row(probabilities, 0)).toEqual(close([(0.2 + 0.3) / 2, (0.7 + 0.6) / 2, (0.1 + 0.1) / 2]));
    const abA = [4 / 7, 1 / 7, 2 / 7]; // (counts.ab row A + 1) / (4 + 3)
    const baA = [2 / 5, 2 / 5, 1 / 5]; // (counts.ba row A + 1) / (2 + 3)
    expect(row(probabilities, 1)).toEqual(close(abA.map((p, k) => (p + baA[k]!) / 2)));
    const prior = [5 / 10, 3 / 10, 2 / 10]; // (labelCounts + 1) / (7 + 3)
    expect(row(probabilities, 2)).toEqual(close(prior.map((p, k) => (p + baA[k]!) / 2)));
    expect({ fromLogprobs, fromVerdicts, fromPrior }).toEqual({ fromLogprobs: 2, fromVerdicts: 3, fromPrior: 1 });
  });

  it("falls back to the calibration when the listed alternatives hold no verdict", () => {
    const { probabilities } = judgePredictions([{ id: "w", ab: answer("B", [["The", 0.9]]) }], calibration);
    expect(row(probabilities, 0)).toEqual(close([1 / 4, 2 / 4, 1 / 4]));
  });
});

describe("labelledVerdicts", () => {
  it("pairs each order's mapped-back verdict with the row label", () => {
    const answers = [
      { id: "a", ab: answer("A"), ba: answer("B") },
      { id: "b", ab: answer(null), ba: answer("tie") },
    ];
    expect(labelledVerdicts(answers, [0, 2])).toEqual([
      { order: "ab", verdict: "A", label: 0 },
      { order: "ba", verdict: "A", label: 0 },
      { order: "ab", verdict: null, label: 2 },
      { order: "ba", verdict: "tie", label: 2 },
    ]);
    expect(() => labelledVerdicts(answers, [0])).toThrow(/2 answers but 1 labels/);
  });
});
