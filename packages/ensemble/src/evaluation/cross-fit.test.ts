import { describe, expect, it } from "vitest";
import { createStrategy } from "../strategies/registry.js";
import { crossFitStrategy } from "./cross-fit.js";

const a = Float64Array.from([0.6, 0.3, 0.1, 0.2, 0.5, 0.3, 0.1, 0.1, 0.8, 0.5, 0.4, 0.1]);
const b = Float64Array.from([0.2, 0.2, 0.6, 0.3, 0.3, 0.4, 0.3, 0.3, 0.4, 0.4, 0.4, 0.2]);
const labels = [0, 1, 2, 0];
const folds = Int32Array.from([0, 1, 0, 1]);

describe("crossFitStrategy", () => {
  it("equals the plain strategy where there is nothing to fit (mean)", () => {
    const got = crossFitStrategy("mean", [a, b], labels, folds);
    expect([...got]).toEqual([...createStrategy("mean").predict([a, b])]);
  });

  it("predicts each fold with a strategy fitted on the other folds only", () => {
    const got = crossFitStrategy("optimize", [a, b], labels, folds);
    // fold 0 = rows 0 and 2, fitted on rows 1 and 3
    const fitted = createStrategy("optimize").fit([Float64Array.from([...a.subarray(3, 6), ...a.subarray(9, 12)]), Float64Array.from([...b.subarray(3, 6), ...b.subarray(9, 12)])], [1, 0]);
    const expected = fitted.predict([Float64Array.from([...a.subarray(0, 3), ...a.subarray(6, 9)]), Float64Array.from([...b.subarray(0, 3), ...b.subarray(6, 9)])]);
    expect([...got.subarray(0, 3), ...got.subarray(6, 9)]).toEqual([...expected]);
  });
});
