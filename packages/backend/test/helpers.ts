import { expect } from "vitest";
import { hostArrayFrom, type DType } from "../src/dtype.js";
import type { HostTensor } from "../src/host-tensor.js";

/** Deterministic uniform [0, 1) stream (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** How test inputs are drawn. */
export type Draw = { kind: "normal"; scale?: number } | { kind: "positive" } | { kind: "int"; max: number } | { kind: "bool" };

export function draw(next: () => number, dtype: DType, shape: readonly number[], how: Draw = { kind: "normal" }): HostTensor {
  const n = shape.reduce((p, d) => p * d, 1);
  const values = Array.from({ length: n }, () => {
    switch (how.kind) {
      case "normal":
        return (next() * 2 - 1) * (how.scale ?? 1);
      case "positive":
        return 0.5 + next();
      case "int":
        return Math.floor(next() * how.max);
      case "bool":
        return next() < 0.5 ? 1 : 0;
    }
  });
  return { data: hostArrayFrom(dtype, values), shape };
}

/** Elementwise |a-b| ≤ atol + rtol·|b|, reporting the worst element. */
export function expectClose(actual: ArrayLike<number | bigint>, expected: ArrayLike<number | bigint>, rtol: number, atol: number, label = ""): void {
  expect(actual.length, `${label} length`).toBe(expected.length);
  let worst = -Infinity;
  let at = -1;
  for (let i = 0; i < expected.length; i++) {
    const a = Number(actual[i]);
    const b = Number(expected[i]);
    const excess = Math.abs(a - b) - (atol + rtol * Math.abs(b));
    if (!(excess <= worst) || Number.isNaN(a) !== Number.isNaN(b)) {
      worst = Number.isNaN(excess) ? Infinity : excess;
      at = i;
    }
  }
  if (worst > 0) {
    expect.fail(`${label}: element ${at} is ${Number(actual[at])}, expected ${Number(expected[at])} (rtol ${rtol}, atol ${atol})`);
  }
}
