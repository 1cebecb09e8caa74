import type { Graph } from "../graph.js";
import { add, less, matMul, mul, softmax, sub, where } from "../ops/index.js";
import { gather, range } from "../ops/indexing.js";
import { reshape, shapeOf, transpose, unsqueeze } from "../ops/movement.js";
import type { Tensor } from "../ops/types.js";

/** Positions `0..seq-1` (int64) for the sequence axis (1) of `x`, symbolic `seq` allowed. */
export function positionsOf(g: Graph, x: Tensor, axis = 1): Tensor {
  const n = gather(g, shapeOf(g, x), g.constant(axis, "int64"));
  return range(g, g.constant(0, "int64"), n, g.constant(1, "int64"));
}

/** Additive causal bias `[seq, seq]`: 0 on and below the diagonal, a large negative number above it. */
export function causalBias(g: Graph, positions: Tensor, dtype: Tensor["dtype"] = "float32"): Tensor {
  return g.scope("causal_mask", () => {
    const future = less(g, unsqueeze(g, positions, [1]), unsqueeze(g, positions, [0]));
    return where(g, future, g.constant(-1e9, dtype), g.constant(0, dtype));
  });
}

/**
 * The additive bias of one query per batch row, at `queries` (int64 `[batch]`), over the keys at `positions` (int64
 * `[seq]`): keys after the query, `window` or more before it (when given) and padding (`mask`, float `[batch, seq]`,
 * 0 = padding) are out. `[batch, 1, 1, seq]`, to add to `[batch, heads, 1, seq]` scores.
 */
export function queryRowBias(g: Graph, queries: Tensor, positions: Tensor, mask: Tensor, window: number | null): Tensor {
  return g.scope("query_row_mask", () => {
    const query = unsqueeze(g, queries, [1]);
    const keys = unsqueeze(g, positions, [0]);
    let out = where(g, less(g, query, keys), g.constant(-1e9), g.constant(0));
    if (window !== null) out = add(g, out, where(g, less(g, add(g, keys, window - 1), query), g.constant(-1e9), g.constant(0)));
    out = add(g, out, mul(g, sub(g, mask, 1), 1e9));
    return unsqueeze(g, out, [1, 2]);
  });
}

/** `[batch, seq, heads·headDim]` → `[batch, heads, seq, headDim]`. */
export function splitHeads(g: Graph, x: Tensor, heads: number): Tensor {
  const width = Number(x.shape[2]);
  return transpose(g, reshape(g, x, [0, 0, heads, width / heads]), [0, 2, 1, 3]);
}

/** `[batch, heads, seq, headDim]` → `[batch, seq, heads·headDim]`. */
export function mergeHeads(g: Graph, x: Tensor): Tensor {
  return reshape(g, transpose(g, x, [0, 2, 1, 3]), [0, 0, -1]);
}

/** Scaled dot-product attention over `[batch, heads, seq, headDim]` with an additive bias broadcast to the scores. */
export function attention(g: Graph, q: Tensor, k: Tensor, v: Tensor, bias: Tensor): Tensor {
  const headDim = Number(q.shape[q.shape.length - 1]);
  const scores = matMul(g, mul(g, q, 1 / Math.sqrt(headDim)), transpose(g, k, [0, 1, 3, 2]));
  return matMul(g, softmax(g, add(g, scores, bias), -1), v);
}
