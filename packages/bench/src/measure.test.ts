import { describe, expect, it } from "vitest";
import { measure, summarise } from "./measure.js";

describe("summarise", () => {
  it("takes the median of an odd and an even number of samples", () => {
    expect(summarise([5, 1, 3]).medianMs).toBe(3);
    expect(summarise([4, 1, 3, 2]).medianMs).toBe(2.5);
  });
  it("reports extremes and relative spread", () => {
    const t = summarise([2, 4, 3]);
    expect([t.minMs, t.maxMs, t.spread]).toEqual([2, 4, 2 / 3]);
    expect(t.samplesMs).toEqual([2, 4, 3]);
  });
  it("refuses an empty list", () => {
    expect(() => summarise([])).toThrow(/no samples/);
  });
});

describe("measure", () => {
  it("runs warm-up and timed runs the asked number of times", async () => {
    let calls = 0;
    const t = await measure(() => calls++, { warmup: 2, repeats: 3 });
    expect(calls).toBe(5);
    expect(t.samplesMs).toHaveLength(3);
  });
  it("awaits async work", async () => {
    const t = await measure(() => new Promise((r) => setTimeout(r, 5)), { warmup: 0, repeats: 1 });
    expect(t.medianMs).toBeGreaterThanOrEqual(4);
  });
  it("rejects a repeat count below one", async () => {
    await expect(measure(() => 0, { repeats: 0 })).rejects.toThrow(/repeats must be an integer ≥ 1, got 0/);
  });
});
