import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { syntheticMembers } from "../../test/synthetic-members.js";
import { logLoss } from "../metrics/log-loss.js";
import { LogitMeanStrategy } from "./logit-mean.js";
import { MeanStrategy } from "./mean.js";
import { OptimizeStrategy } from "./optimize.js";
import { STRATEGY_NAMES, createStrategy, loadStrategy } from "./registry.js";
import { StackStrategy } from "./stack.js";
import { WeightedStrategy } from "./weighted.js";

const a = Float64Array.from([0.5, 0.25, 0.25, 0.2, 0.2, 0.6]);
const b = Float64Array.from([0.25, 0.5, 0.25, 0.6, 0.2, 0.2]);

describe("fixed strategies", () => {
  it("mean and the paper's 0.7/0.3 blend", () => {
    expect(Array.from(new MeanStrategy().predict([a, b]))).toEqual([0.375, 0.375, 0.25, 0.4, 0.2, 0.4].map((v) => expect.closeTo(v, 15)));
    const weighted = new WeightedStrategy().predict([a, b]);
    [0.425, 0.325, 0.25, 0.32, 0.2, 0.48].forEach((v, i) => expect(weighted[i]).toBeCloseTo(v, 15));
  });

  it("logit mean is the normalised geometric mean", () => {
    const p = new LogitMeanStrategy().predict([a, b]);
    const g = [Math.sqrt(0.125), Math.sqrt(0.125), 0.25];
    const s = g[0] + g[1] + g[2];
    g.forEach((v, k) => expect(p[k]).toBeCloseTo(v / s, 14));
    const h = [Math.sqrt(0.12), 0.2, Math.sqrt(0.12)];
    const t = h[0] + h[1] + h[2];
    h.forEach((v, k) => expect(p[3 + k]).toBeCloseTo(v / t, 14));
  });

  it("rejects bad weights and member counts", () => {
    expect(() => new WeightedStrategy({ weights: [0.5, -0.1] })).toThrow(/weight 1 is -0.1/);
    expect(() => new WeightedStrategy().predict([a])).toThrow(/fitted for 2 members, got 1/);
    expect(() => new MeanStrategy().predict([a, b.subarray(0, 3)])).toThrow(/member 1 has 1 rows, member 0 has 2/);
  });
});

describe("optimize", () => {
  it("stays finite on real out-of-fold members where the step grows until exp() would overflow", () => {
    // four classical members' out-of-fold predictions on 128 real arena rows (a cross-validation fold of the demo);
    // before the update was shifted, this case ended with NaN weights
    const fixture = JSON.parse(readFileSync(new URL("../../test/fixtures/optimize-overflow-case.json", import.meta.url), "utf8"));
    const members = (fixture.members as number[][]).map((m) => Float64Array.from(m));
    const weights = new OptimizeStrategy().fit(members, fixture.labels).fitted();
    expect([...weights].every((w) => Number.isFinite(w) && w >= 0)).toBe(true);
    expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    const mixed = logLoss(new OptimizeStrategy().fit(members, fixture.labels).predict(members), fixture.labels);
    for (const member of members) expect(mixed).toBeLessThanOrEqual(logLoss(member, fixture.labels) + 1e-12);
  });

  const { labels, members } = syntheticMembers(600, [0.6, 1.2, 2.5], [1, 1.8, 0.6]);

  it("never loses to the best single member on its own data", () => {
    const fitted = new OptimizeStrategy().fit(members, labels);
    const best = Math.min(...members.map((m) => logLoss(m, labels)));
    expect(logLoss(fitted.predict(members), labels)).toBeLessThanOrEqual(best);
    const w = fitted.fitted();
    expect(w.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    expect(Math.min(...w)).toBeGreaterThanOrEqual(0);
  });

  it("finds the grid-search optimum for two members", () => {
    const pair = [members[0], members[2]];
    let gridLoss = Number.POSITIVE_INFINITY;
    let gridWeight = 0;
    for (let step = 0; step <= 1000; step++) {
      const w = step / 1000;
      const loss = logLoss(new WeightedStrategy({ weights: [w, 1 - w] }).predict(pair), labels);
      if (loss < gridLoss) [gridLoss, gridWeight] = [loss, w];
    }
    const fitted = new OptimizeStrategy().fit(pair, labels);
    expect(fitted.fitted()[0]).toBeCloseTo(gridWeight, 2);
    expect(logLoss(fitted.predict(pair), labels)).toBeLessThanOrEqual(gridLoss + 1e-9);
  });

  it("keeps a dominating member alone", () => {
    const useless = new Float64Array(members[0].length).fill(1 / 3);
    const fitted = new OptimizeStrategy().fit([members[0], useless], labels);
    expect(logLoss(fitted.predict([members[0], useless]), labels)).toBeLessThanOrEqual(logLoss(members[0], labels));
  });
});

describe("stack", () => {
  it("learns to undo a member's overconfidence", () => {
    const { labels, members } = syntheticMembers(800, [0.5, 0.5], [3, 1], 11);
    const fitted = new StackStrategy().fit(members, labels);
    expect(logLoss(fitted.predict(members), labels)).toBeLessThan(logLoss(members[0], labels));
    expect(logLoss(fitted.predict(members), labels)).toBeLessThan(logLoss(new MeanStrategy().predict(members), labels));
  });
});

describe("every strategy", () => {
  const { labels, members } = syntheticMembers(300, [0.7, 1.5], [1.5, 1], 3);

  it.each(STRATEGY_NAMES)("%s serialises to JSON and reloads to identical predictions", (name) => {
    const fitted = createStrategy(name).fit(members, labels);
    const reloaded = loadStrategy(JSON.parse(JSON.stringify(fitted)));
    expect(reloaded.name).toBe(name);
    expect(reloaded.predict(members)).toEqual(fitted.predict(members));
    const probs = fitted.predict(members);
    for (let i = 0; i < probs.length; i += 3) expect(probs[i] + probs[i + 1] + probs[i + 2]).toBeCloseTo(1, 12);
  });

  it("fitted strategies refuse to predict before fit; loading checks the name", () => {
    for (const name of ["optimize", "stack", "temperature"] as const) {
      expect(() => createStrategy(name).predict(members)).toThrow(/before fit/);
    }
    expect(() => loadStrategy({ strategy: "median", members: 2 })).toThrow(/strategy is "median", expected one of mean, weighted/);
    expect(() => loadStrategy({ strategy: "optimize", members: 2, weights: [1] })).toThrow(/1 weights for 2 members/);
  });
});
