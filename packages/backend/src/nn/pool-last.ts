import type { Graph } from "../graph.js";
import { add, gather, mul, range, reshape, shapeOf } from "../ops/index.js";
import type { Tensor } from "../ops/types.js";

/** The row of `hidden` `[batch, seq, width]` at each batch row's `lastPositions` (int64 `[batch]`): `[batch, width]`. */
export function poolPositions(g: Graph, hidden: Tensor, lastPositions: Tensor): Tensor {
  const width = Number(hidden.shape[2]);
  // rows of [batch·seq, width] at batch·seq + last
  const dims = shapeOf(g, hidden);
  const seq = gather(g, dims, g.constant(1, "int64"));
  const batch = gather(g, dims, g.constant(0, "int64"));
  const rowStarts = mul(g, range(g, g.constant(0, "int64"), batch, g.constant(1, "int64")), seq);
  return gather(g, reshape(g, hidden, [-1, width]), add(g, rowStarts, lastPositions));
}
