import { hostArrayFrom, type DType } from "../dtype.js";
import type { Graph } from "../graph.js";
import { add, mul } from "../ops/elementwise.js";
import { gather } from "../ops/indexing.js";
import { matMul } from "../ops/linalg.js";
import type { Tensor } from "../ops/types.js";

/** Cos and sin tables `[maxSeq, headDim]` in the `rotate_half` layout (frequencies repeated over both halves). */
export interface RopeTables {
  /** `cos` of each position's angles. */
  readonly cos: Tensor;
  /** `sin` of each position's angles. */
  readonly sin: Tensor;
}

/** Frozen RoPE tables with `inv_freq = θ^(−2i/d)`, as HF Llama computes them. */
export function ropeTables(g: Graph, maxSeq: number, headDim: number, theta = 10000, dtype: DType = "float32"): RopeTables {
  const half = headDim / 2;
  const cos = new Float64Array(maxSeq * headDim);
  const sin = new Float64Array(maxSeq * headDim);
  for (let p = 0; p < maxSeq; p++) {
    for (let i = 0; i < half; i++) {
      const angle = p * theta ** (-(2 * i) / headDim);
      for (const j of [i, i + half]) {
        cos[p * headDim + j] = Math.cos(angle);
        sin[p * headDim + j] = Math.sin(angle);
      }
    }
  }
  return {
    cos: g.weight("rope/cos", dtype, [maxSeq, headDim], hostArrayFrom(dtype, cos)),
    sin: g.weight("rope/sin", dtype, [maxSeq, headDim], hostArrayFrom(dtype, sin)),
  };
}

/** The `[headDim, headDim]` signed permutation `R` with `x · R = rotate_half(x) = [−x₂, x₁]`, one per tables object. */
const rotations = new WeakMap<RopeTables, Tensor>();

function rotation(g: Graph, tables: RopeTables, d: number): Tensor {
  const known = rotations.get(tables);
  if (known && Number(known.shape[0]) === d) return known;
  const half = d / 2;
  const r = new Float64Array(d * d);
  for (let j = 0; j < half; j++) {
    r[(j + half) * d + j] = -1; // out[j] = −x[j + half]
    r[j * d + j + half] = 1; // out[j + half] = x[j]
  }
  const t = g.weight("rope/rotate_half", tables.cos.dtype, [d, d], hostArrayFrom(tables.cos.dtype, r));
  rotations.set(tables, t);
  return t;
}

/**
 * Rotates `x` `[..., seq, headDim]` by the angles of `positions` (int64 `[seq]`): `x·cos + rotate_half(x)·sin`.
 * `rotate_half` is a product with a constant signed permutation matrix: each output is one input times ±1 plus exact
 * zeros, so it equals the slice/negate/concat form bit for bit, and its gradient is one more product (with `Rᵀ`)
 * instead of slices, pads and sums.
 */
export function applyRope(g: Graph, x: Tensor, tables: RopeTables, positions: Tensor): Tensor {
  return g.scope("rope", () => {
    const d = Number(x.shape[x.shape.length - 1]);
    const cos = gather(g, tables.cos, positions);
    const sin = gather(g, tables.sin, positions);
    const rotated = matMul(g, x, rotation(g, tables, d));
    return add(g, mul(g, x, cos), mul(g, rotated, sin));
  });
}
