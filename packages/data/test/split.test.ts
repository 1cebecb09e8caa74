import { table } from "arquero";
import { describe, expect, it } from "vitest";
import { InvalidOptionError } from "../src/errors.js";
import { holdout, kFold } from "../src/split.js";

/** 103 rows with unbalanced labels: 50 A, 33 B, 20 tie. */
function labelled() {
  const label = Int8Array.from({ length: 103 }, (_, i) => (i < 50 ? 0 : i < 83 ? 1 : 2));
  return table({ id: Array.from({ length: 103 }, (_, i) => `r${i}`), label });
}

const count = (labels: ArrayLike<number>, value: number) => Array.from(labels).filter((l) => l === value).length;

describe("kFold", () => {
  it("partitions the rows: every row is in exactly one test fold, and train is the complement", () => {
    const data = labelled();
    const folds = kFold(data, 5, { seed: 3 });
    const seen = new Int32Array(103);
    for (const fold of folds) {
      for (const row of fold.testIndices) seen[row] += 1;
      expect(fold.trainIndices.length + fold.testIndices.length).toBe(103);
      expect(new Set([...fold.trainIndices, ...fold.testIndices]).size).toBe(103);
      expect(fold.test.array("id")).toEqual(Array.from(fold.testIndices, (i) => `r${i}`));
      expect(fold.train.numRows()).toBe(fold.trainIndices.length);
    }
    expect(Array.from(seen)).toEqual(new Array(103).fill(1));
    expect(folds.map((f) => f.testIndices.length).sort()).toEqual([20, 20, 21, 21, 21]);
  });

  it("stratifies by label: each fold holds each label's share within one row", () => {
    const folds = kFold(labelled(), 5, { seed: 1, stratify: "label" });
    for (const fold of folds) {
      const labels = fold.test.array("label", Int8Array) as Int8Array;
      expect(count(labels, 0)).toBe(10); // 50 / 5
      expect([6, 7]).toContain(count(labels, 1)); // 33 / 5
      expect(count(labels, 2)).toBe(4); // 20 / 5
    }
  });

  it("is deterministic for a seed and changes with the seed", () => {
    const data = labelled();
    const indices = (seed: number) => kFold(data, 4, { seed, stratify: "label" }).map((f) => Array.from(f.testIndices));
    expect(indices(7)).toEqual(indices(7));
    expect(indices(7)).not.toEqual(indices(8));
  });

  it("rejects bad k, unknown columns and unknown options", () => {
    expect(() => kFold(labelled(), 1)).toThrow(InvalidOptionError);
    expect(() => kFold(labelled(), 104)).toThrow(/integer from 2 to the row count 103/);
    expect(() => kFold(labelled(), 3, { stratify: "winner" })).toThrow(/a column of the table/);
    expect(() => kFold(labelled(), 3, { seeds: 1 } as object)).toThrow(/option "seeds"/);
  });
});

describe("holdout", () => {
  it("takes round(fraction × n) rows, per label when stratified, deterministically", () => {
    const data = labelled();
    const plain = holdout(data, 0.2, { seed: 5 });
    expect(plain.testIndices.length).toBe(21); // round(20.6)
    expect(plain.train.numRows() + plain.test.numRows()).toBe(103);
    const strat = holdout(data, 0.2, { seed: 5, stratify: "label" });
    const labels = strat.test.array("label", Int8Array) as Int8Array;
    expect([count(labels, 0), count(labels, 1), count(labels, 2)]).toEqual([10, 7, 4]); // round(6.6) = 7
    expect(Array.from(holdout(data, 0.2, { seed: 5 }).testIndices)).toEqual(Array.from(plain.testIndices));
    expect(() => holdout(data, 1)).toThrow(/strictly between 0 and 1/);
  });
});
