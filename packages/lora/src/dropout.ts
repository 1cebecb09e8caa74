/** Inverted dropout on the LoRA branch's input, with a mask drawn from a seeded Rng so runs replay exactly. */
import type { Rng } from "./rng.js";

/** A drawn dropout mask: 1 keeps an element (scaled by `scale`), 0 drops it. */
export interface DropoutMask {
  /** One byte per element. */
  keep: Uint8Array;
  /** 1 / (1 − p): kept elements are scaled so the expectation is unchanged. */
  scale: number;
}

/** Draws a mask of `length` elements, each dropped with probability p. */
export function dropoutMask(rng: Rng, length: number, p: number): DropoutMask {
  if (!(p >= 0 && p < 1)) throw new RangeError(`dropout probability ${p}; expected a number in [0, 1)`);
  const keep = new Uint8Array(length);
  const threshold = p * 4294967296;
  for (let i = 0; i < length; i++) keep[i] = rng.nextUint32() >= threshold ? 1 : 0;
  return { keep, scale: 1 / (1 - p) };
}

/** out = x ⊙ keep · scale; also the backward of dropout (the mask is linear). */
export function applyDropout(x: Float32Array, mask: DropoutMask, out: Float32Array): Float32Array {
  const { keep, scale } = mask;
  for (let i = 0; i < x.length; i++) out[i] = keep[i] === 1 ? x[i] * scale : 0;
  return out;
}
