import { describe, expect, it } from "vitest";
import { BinMapper } from "./binning.js";
import { buildHistogram, HIST_FIELDS, subtractHistogram } from "./histogram.js";
import { Rng } from "@lora-litee/lora";

const matrix = (cols: number, values: number[]) => ({ kind: "dense" as const, rows: values.length / cols, cols, data: Float64Array.from(values) });

describe("BinMapper", () => {
  it("puts edges at midpoints between distinct values when they fit", () => {
    const m = BinMapper.fit(matrix(1, [3, 1, 2, 2, 1]), 255);
    expect(Array.from(m.edges[0])).toEqual([1.5, 2.5]);
    expect(Array.from(m.transform(matrix(1, [0, 1, 1.5, 1.6, 2, 3, 9])))).toEqual([0, 0, 0, 1, 1, 2, 2]);
  });

  it("caps bins at maxBins and keeps 'bin ≤ b' equal to 'x ≤ edges[b]' for every value", () => {
    const rng = new Rng(7);
    const values = Array.from({ length: 5000 }, () => Math.round(rng.nextFloat() * 1e4) / 7);
    const m = BinMapper.fit(matrix(1, values), 255);
    const edges = m.edges[0];
    expect(edges.length).toBeLessThanOrEqual(254);
    expect(edges.length).toBeGreaterThan(240);
    for (let j = 1; j < edges.length; j++) expect(edges[j]).toBeGreaterThan(edges[j - 1]);
    const bins = m.transform(matrix(1, values));
    values.forEach((v, i) => {
      for (const b of [0, 10, 100, edges.length - 1]) expect(bins[i] <= b).toBe(v <= edges[b]);
    });
    // Quantile bins hold roughly equal shares of the rows.
    const counts = new Array(edges.length + 1).fill(0);
    bins.forEach((b) => counts[b]++);
    expect(Math.max(...counts)).toBeLessThan(3 * (5000 / 255));
  });

  it("gives a constant feature a single bin", () => {
    const m = BinMapper.fit(matrix(2, [5, 1, 5, 2, 5, 3]), 255);
    expect(m.binCount(0)).toBe(1);
    expect(m.binCount(1)).toBe(3);
  });
});

describe("histograms", () => {
  it("sum gradients per bin and the sibling equals parent − child", () => {
    const x = matrix(2, [0, 10, 1, 10, 1, 20, 2, 30, 0, 30]);
    const m = BinMapper.fit(x, 255);
    const bins = m.transform(x);
    const grad = Float64Array.from([0.5, -1, 2, 0.25, -0.75]);
    const hess = Float64Array.from([1, 2, 3, 4, 5]);
    const input = { bins, rows: 5, cols: 2, stride: 3, grad, hess };
    const active = Uint8Array.from([1, 1]);
    const all = Uint32Array.from([0, 1, 2, 3, 4]);
    const parent = new Float64Array(2 * 3 * HIST_FIELDS);
    buildHistogram(input, all, 0, 5, active, parent);
    // Feature 0, bin 1 (value 1): rows 1 and 2.
    expect(Array.from(parent.subarray(3, 6))).toEqual([1, 5, 2]);
    // Feature 1, bin 2 (value 30): rows 3 and 4.
    expect(Array.from(parent.subarray((3 + 2) * 3, (3 + 2) * 3 + 3))).toEqual([-0.5, 9, 2]);
    const left = new Float64Array(parent.length);
    const right = new Float64Array(parent.length);
    const direct = new Float64Array(parent.length);
    const order = Uint32Array.from([0, 3, 1, 2, 4]);
    buildHistogram(input, order, 0, 2, active, left);
    buildHistogram(input, order, 2, 5, active, direct);
    subtractHistogram(parent, left, right);
    right.forEach((v, i) => expect(v).toBeCloseTo(direct[i], 12));
  });
});
