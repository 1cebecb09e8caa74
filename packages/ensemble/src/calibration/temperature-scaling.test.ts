import { describe, expect, it } from "vitest";
import { syntheticMembers } from "../../test/synthetic-members.js";
import { logLoss } from "../metrics/log-loss.js";
import { applyTemperature, fitTemperature } from "./temperature-scaling.js";

describe("temperature scaling", () => {
  it("recovers the sharpening of an overconfident member", () => {
    // A member that saw the true logits times 2 is undone by T = 2.
    const { labels, members } = syntheticMembers(6000, [0], [2], 5);
    expect(fitTemperature(members[0], labels)).toBeCloseTo(2, 0);
  });

  it("sits at the minimum of the Kaggle log loss over T", () => {
    const { labels, members } = syntheticMembers(500, [0.8], [0.7], 9);
    const t = fitTemperature(members[0], labels);
    const at = (temperature: number) => logLoss(applyTemperature(members[0], temperature), labels);
    expect(at(t)).toBeLessThan(at(t * 1.02));
    expect(at(t)).toBeLessThan(at(t / 1.02));
    expect(at(t)).toBeLessThan(logLoss(members[0], labels));
  });

  it("T = 1 leaves probabilities unchanged, and T must be positive", () => {
    const p = Float64Array.from([0.2, 0.3, 0.5]);
    Array.from(applyTemperature(p, 1)).forEach((v, k) => expect(v).toBeCloseTo(p[k], 15));
    expect(() => applyTemperature(p, 0)).toThrow(/temperature must be a finite number > 0, got 0/);
  });
});
