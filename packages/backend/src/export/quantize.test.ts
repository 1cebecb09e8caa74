import { describe, expect, it } from "vitest";
import { quantizeColumns } from "./quantize.js";

describe("quantizeColumns", () => {
  it("scales each column by its largest magnitude over 127 and rounds", () => {
    // [[1, -0.5], [-2, 0.25], [0.5, 0]] row-major, 3 × 2
    const { q, scales } = quantizeColumns(Float32Array.from([1, -0.5, -2, 0.25, 0.5, 0]), 3, 2);
    expect(Array.from(scales)).toEqual([Math.fround(2 / 127), Math.fround(0.5 / 127)]);
    expect(Array.from(q)).toEqual([64, -127, -127, 64, 32, 0]);
  });

  it("gives an all-zero column scale 1 (no division by zero)", () => {
    const { q, scales } = quantizeColumns(new Float32Array(4), 2, 2);
    expect(Array.from(scales)).toEqual([1, 1]);
    expect(Array.from(q)).toEqual([0, 0, 0, 0]);
  });
});
