import { hostArrayFrom, type DType } from "../dtype.js";
import type { Graph } from "../graph.js";
import { add, mul, neg } from "../ops/elementwise.js";
import { gather } from "../ops/indexing.js";
import { concat, slice, TO_END } from "../ops/movement.js";
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

/** Rotates `x` `[..., seq, headDim]` by the angles of `positions` (int64 `[seq]`): `x·cos + rotate_half(x)·sin`. */
export function applyRope(g: Graph, x: Tensor, tables: RopeTables, positions: Tensor): Tensor {
  return g.scope("rope", () => {
    const d = Number(x.shape[x.shape.length - 1]);
    const cos = gather(g, tables.cos, positions);
    const sin = gather(g, tables.sin, positions);
    const x1 = slice(g, x, [0], [d / 2], [-1]);
    const x2 = slice(g, x, [d / 2], [TO_END], [-1]);
    const rotated = concat(g, [neg(g, x2), x1], -1);
    return add(g, mul(g, x, cos), mul(g, rotated, sin));
  });
}
