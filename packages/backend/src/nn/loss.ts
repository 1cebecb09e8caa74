import type { Graph } from "../graph.js";
import { cast, equal, mul, neg } from "../ops/elementwise.js";
import { range } from "../ops/indexing.js";
import { unsqueeze } from "../ops/movement.js";
import { logSoftmax, reduceMean, reduceSum } from "../ops/reduce.js";
import type { Tensor } from "../ops/types.js";

/** Mean cross-entropy of `logits` `[n, classes]` against int64 `labels` `[n]` (one-hot dot log-softmax). */
export function crossEntropy(g: Graph, logits: Tensor, labels: Tensor): Tensor {
  return g.scope("cross_entropy", () => {
    const classes = Number(logits.shape[logits.shape.length - 1]);
    const ids = range(g, g.constant(0, "int64"), g.constant(classes, "int64"), g.constant(1, "int64"));
    const oneHot = cast(g, equal(g, unsqueeze(g, labels, [-1]), ids), logits.dtype);
    return neg(g, reduceMean(g, reduceSum(g, mul(g, oneHot, logSoftmax(g, logits, -1)), [-1])));
  });
}
