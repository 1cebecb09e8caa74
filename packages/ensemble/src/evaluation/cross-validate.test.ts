import { describe, expect, it } from "vitest";
import { lcg } from "../../test/synthetic-members.js";
import type { PairRow, PreferenceLabel } from "../members/pair-row.js";
import { crossValidate } from "./cross-validate.js";

function rows(count: number): PairRow[] {
  const next = lcg(3);
  return Array.from({ length: count }, (_, i) => {
    const a = 2 + Math.floor(next() * 30);
    const b = 2 + Math.floor(next() * 30);
    const noisy = a - b + 8 * (next() - 0.5);
    const label: PreferenceLabel = noisy > 3 ? 0 : noisy < -3 ? 1 : 2;
    return { id: String(i), prompt: ["q"], responseA: ["x ".repeat(a)], responseB: ["y ".repeat(b)], label };
  });
}

describe("crossValidate", () => {
  const data = rows(150);
  const folds = Int32Array.from(data, (_, i) => i % 3);

  it("scores members and ensembles out of fold, beating the prior on a learnable signal", () => {
    const seen: string[] = [];
    const result = crossValidate(data, folds, { members: ["length"], strategies: ["mean", "optimize"], onFold: (m, f) => seen.push(`${m}:${f}`) });
    expect(seen).toEqual(["length:0", "length:1", "length:2"]);
    expect(result).toMatchObject({ rows: 150, folds: 3 });
    expect(result.members[0].logLoss).toBeLessThan(result.prior.logLoss - 0.1);
    // One member: the mean ensemble is that member.
    expect(result.ensembles[0].logLoss).toBeCloseTo(result.members[0].logLoss, 12);
  });

  it("never trains a member on the fold it predicts", () => {
    const trainedOn: Set<string>[] = [];
    crossValidate(data, folds, {
      members: ["length"],
      strategies: [],
      train: (_kind, fit) => {
        trainedOn.push(new Set(fit.map((row) => row.id)));
        return { kind: "length", toJSON: () => ({}) as never, predict: (test) => Float64Array.from(test.flatMap(() => [0.4, 0.4, 0.2])) };
      },
    });
    trainedOn.forEach((ids, f) => {
      expect(ids.size).toBe(100);
      data.forEach((row, i) => expect(ids.has(row.id)).toBe(folds[i] !== f));
    });
  });
});
