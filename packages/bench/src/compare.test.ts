import { describe, expect, it } from "vitest";
import { compareRuns } from "./compare.js";
import { machineInfo } from "./machine.js";
import type { BenchRun } from "./result.js";

const run = (tokens: number, extra: Record<string, number> = {}): BenchRun => ({
  machine: machineInfo(),
  startedAt: "2026-11-26T00:00:00Z",
  results: [{ suite: "train-step", peakRssMiB: 100, notes: [], cases: [{ name: "llama-512", metrics: { tokensPerSecond: tokens, ...extra } }] }],
});

describe("compareRuns", () => {
  it("pairs metrics by suite, case and name and divides current by baseline", () => {
    expect(compareRuns(run(1500), run(1000))).toEqual([
      { suite: "train-step", case: "llama-512", metric: "tokensPerSecond", current: 1500, baseline: 1000, ratio: 1.5 },
    ]);
  });
  it("skips metrics the baseline lacks", () => {
    expect(compareRuns(run(10, { peakMiB: 5 }), run(10)).map((c) => c.metric)).toEqual(["tokensPerSecond"]);
  });
});
