import { describe, expect, it } from "vitest";
import {
  parseVerdict,
  PROBABILITY_FLOOR,
  probabilitiesFromTopLogprobs,
  swapVerdict,
  verdictOfToken,
  verdictPositionLogprobs,
} from "./parse-verdict.js";

const top = (entries: [string, number][]) => entries.map(([token, p]) => ({ token, logprob: Math.log(p) }));

describe("parseVerdict", () => {
  it.each([
    ["A", "A"],
    [" b\n", "B"],
    ["Tie", "tie"],
    ["TIE.", "tie"],
    ['"A"', "A"],
    ["**B**", "B"],
    ["[A]", "A"],
    ["Verdict: B", "B"],
    ["After comparing both, [[A]] is better.", "A"],
    ["verdict = tie", "tie"],
    ["Verdict: A. Final answer: [[A]]", "A"],
  ])("reads %j as %s", (reply, verdict) => {
    expect(parseVerdict(reply)).toBe(verdict);
  });

  it.each([
    ["Both are good but I cannot decide."],
    ["A is better"],
    [""],
    ["Verdict: A ... actually [[B]]"],
    ["C"],
    ["tied"],
  ])("refuses %j", (reply) => {
    expect(parseVerdict(reply)).toBeUndefined();
  });

  it("maps swapped verdicts back", () => {
    expect([swapVerdict("A"), swapVerdict("B"), swapVerdict("tie")]).toEqual(["B", "A", "tie"]);
  });

  it("reads verdict tokens with their leading space and split tie", () => {
    expect([" A", "B", " Tie", "ti", " the", "Ver"].map(verdictOfToken)).toEqual(["A", "B", "tie", "tie", undefined, undefined]);
  });
});

describe("probabilitiesFromTopLogprobs", () => {
  it("normalises the three classes when all are listed", () => {
    const p = probabilitiesFromTopLogprobs(top([["A", 0.6], [" B", 0.25], ["tie", 0.1]]))!;
    expect([...p].map((x) => x * 0.95)).toEqual([0.6, 0.25, 0.1].map((x) => expect.closeTo(x, 14)));
  });

  it("sums tokens of one class (A and ' A')", () => {
    const p = probabilitiesFromTopLogprobs(top([["A", 0.5], [" A", 0.2], ["B", 0.2], ["Tie", 0.05]]))!;
    expect(p[0]).toBeCloseTo(0.7 / 0.95, 14);
    expect(p[1]).toBeCloseTo(0.2 / 0.95, 14);
    expect(p[2]).toBeCloseTo(0.05 / 0.95, 14);
  });

  it("gives an absent class the unexplained mass, capped by the least listed token", () => {
    // listed 0.95, unexplained 0.05, least listed 0.05 → tie gets 0.05
    const a = probabilitiesFromTopLogprobs(top([["A", 0.7], ["B", 0.2], ["The", 0.05]]))!;
    expect([...a]).toEqual([0.7 / 0.95, 0.2 / 0.95, 0.05 / 0.95].map((x) => expect.closeTo(x, 14)));
    // listed 0.91, unexplained 0.09 but least listed 0.01 → tie gets 0.01
    const b = probabilitiesFromTopLogprobs(top([["A", 0.9], ["B", 0.01]]))!;
    expect([...b]).toEqual([0.9 / 0.92, 0.01 / 0.92, 0.01 / 0.92].map((x) => expect.closeTo(x, 14)));
  });

  it("floors every class so that no row is hard 0/1", () => {
    const p = probabilitiesFromTopLogprobs([{ token: "A", logprob: 0 }])!;
    const sum = 1 + 2 * PROBABILITY_FLOOR;
    expect([...p]).toEqual([1 / sum, PROBABILITY_FLOOR / sum, PROBABILITY_FLOOR / sum].map((x) => expect.closeTo(x, 15)));
    expect(p[1]).toBeGreaterThan(0);
  });

  it("is undefined when no listed token is a verdict", () => {
    expect(probabilitiesFromTopLogprobs(top([["The", 0.5], ["I", 0.4]]))).toBeUndefined();
  });
});

describe("verdictPositionLogprobs", () => {
  it("reads the alternatives where the stated verdict is generated", () => {
    const tokens = [
      { token: "Verdict", logprob: -0.01, topLogprobs: top([["Verdict", 0.99]]) },
      { token: ":", logprob: -0.01, topLogprobs: top([[":", 0.99]]) },
      { token: " B", logprob: Math.log(0.6), topLogprobs: top([[" B", 0.6], [" A", 0.3]]) },
    ];
    expect(verdictPositionLogprobs(tokens, "B")).toBe(tokens[2]!.topLogprobs);
    expect(verdictPositionLogprobs(tokens, "A")).toBeUndefined();
  });

  it("adds the generated token when the server left it out of its alternatives", () => {
    const tokens = [{ token: "A", logprob: Math.log(0.5), topLogprobs: top([["B", 0.3]]) }];
    expect(verdictPositionLogprobs(tokens, "A")).toEqual([{ token: "A", logprob: Math.log(0.5) }, ...tokens[0]!.topLogprobs]);
  });
});
