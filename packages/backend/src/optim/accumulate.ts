import type { Graph } from "../graph.js";
import { add, mul } from "../ops/elementwise.js";
import type { Tensor } from "../ops/types.js";

/** `acc + grad` per parameter: run a micro-batch graph that returns these and feed them back next run. */
export function accumulateGradients(g: Graph, accumulators: readonly Tensor[], grads: readonly Tensor[]): Tensor[] {
  return g.scope("accumulate", () => grads.map((t, i) => add(g, accumulators[i], t)));
}

/** Mean of `count` accumulated micro-batch gradients (the full-batch gradient of a mean loss over equal micro-batches). */
export function averageAccumulated(g: Graph, accumulators: readonly Tensor[], count: number): Tensor[] {
  return g.scope("accumulate", () => accumulators.map((t) => mul(g, t, 1 / count)));
}
