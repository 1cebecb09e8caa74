import { hostArrayFrom, type DType } from "../dtype.js";
import type { Graph } from "../graph.js";
import { add, mul } from "../ops/elementwise.js";
import { gather } from "../ops/indexing.js";
import { matMul } from "../ops/linalg.js";
import { unsqueeze } from "../ops/movement.js";
import type { Tensor } from "../ops/types.js";

/** Cos and sin tables `[maxSeq, headDim]` in the `rotate_half` layout (frequencies repeated over both halves). */
export interface RopeTables {
  /** `cos` of each position's angles. */
  readonly cos: Tensor;
  /** `sin` of each position's angles. */
  readonly sin: Tensor;
  /** The `[headDim, headDim]` signed permutation `R` with `x · R = rotate_half(x) = [−x₂, x₁]`. */
  readonly rotation: Tensor;
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
  const rotation = new Float64Array(headDim * headDim);
  for (let j = 0; j < half; j++) {
    rotation[(j + half) * headDim + j] = -1; // out[j] = −x[j + half]
    rotation[j * headDim + j + half] = 1; // out[j + half] = x[j]
  }
  return {
    cos: g.weight("rope/cos", dtype, [maxSeq, headDim], hostArrayFrom(dtype, cos)),
    sin: g.weight("rope/sin", dtype, [maxSeq, headDim], hostArrayFrom(dtype, sin)),
    rotation: g.weight("rope/rotate_half", dtype, [headDim, headDim], hostArrayFrom(dtype, rotation)),
  };
}

/**
 * Rotates `x` `[..., seq, headDim]` by the angles of `positions` (int64 `[seq]`): `x·cos + rotate_half(x)·sin`.
 * `rotate_half` is a product with a constant signed permutation matrix: each output is one input times ±1 plus exact
 * zeros, so it equals the slice/negate/concat form bit for bit, and its gradient is one more product (with `Rᵀ`)
 * instead of slices, pads and sums.
 */
export function applyRope(g: Graph, x: Tensor, tables: RopeTables, positions: Tensor): Tensor {
  return g.scope("rope", () => rotate(g, x, tables, gather(g, tables.cos, positions), gather(g, tables.sin, positions)));
}

/** Rotates `x` `[batch, heads, 1, headDim]`, one token per batch row, by the angles of `positions` (int64 `[batch]`). */
export function applyRopePerRow(g: Graph, x: Tensor, tables: RopeTables, positions: Tensor): Tensor {
  return g.scope("rope", () => {
    const at = (table: Tensor) => unsqueeze(g, gather(g, table, positions), [1, 2]);
    return rotate(g, x, tables, at(tables.cos), at(tables.sin));
  });
}

function rotate(g: Graph, x: Tensor, tables: RopeTables, cos: Tensor, sin: Tensor): Tensor {
  return add(g, mul(g, x, cos), mul(g, matMul(g, x, tables.rotation), sin));
}
