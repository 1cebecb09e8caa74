import { dtypeOfHostArray, toFloat64 } from "./dtype.js";
import { FeedError, GraphError } from "./errors.js";
import type { Graph } from "./graph.js";
import type { Feeds } from "./host-tensor.js";
import { opDefs } from "./ops/registry.js";
import type { NDArray, Node, OpDef, OpType, Tensor } from "./ops/types.js";
import { formatShape } from "./shape.js";

function defOf<K extends OpType>(op: K): OpDef<K> {
  return opDefs[op];
}

/** The nodes `outputs` depend on, in topological order. */
export function nodesFor(outputs: readonly Tensor[]): Node[] {
  const seen = new Set<number>();
  const order: Node[] = [];
  const stack = outputs.map((t) => t.producer).filter((n): n is Node => n !== undefined);
  while (stack.length > 0) {
    const n = stack.pop() as Node;
    if (seen.has(n.id)) continue;
    seen.add(n.id);
    order.push(n);
    for (const t of n.inputs) if (t.producer && !seen.has(t.producer.id)) stack.push(t.producer);
  }
  return order.sort((a, b) => a.id - b.id);
}

/** Binds feeds to graph inputs, checking dtype, rank, static dims and that each named dim has one size. */
export function checkFeeds(graph: Graph, feeds: Feeds, needed: ReadonlySet<string>): void {
  const sizes = new Map<string, number>();
  for (const input of graph.inputs) {
    if (!needed.has(input.name)) continue;
    const feed = feeds[input.name];
    if (!feed) throw new FeedError(`input '${input.name}': no feed given (expected ${input.dtype} ${formatShape(input.shape)})`);
    const dtype = dtypeOfHostArray(feed.data);
    const bad = (why: string) => new FeedError(`input '${input.name}': ${why}; expected ${input.dtype} ${formatShape(input.shape)}, got ${dtype} ${formatShape(feed.shape)}`);
    if (dtype !== input.dtype) throw bad("wrong dtype");
    if (feed.shape.length !== input.shape.length) throw bad("wrong rank");
    if (feed.data.length !== feed.shape.reduce((p, d) => p * d, 1)) throw bad(`${feed.data.length} values do not fill the shape`);
    input.shape.forEach((d, i) => {
      const got = feed.shape[i];
      if (typeof d === "number" ? d !== got : (sizes.get(d) ?? got) !== got) throw bad(`dim ${i} ('${d}') mismatch`);
      if (typeof d === "string") sizes.set(d, got);
    });
  }
}

/**
 * Runs `outputs` of `graph` in float64 with the op kernels: the reference the ONNX path is checked against.
 * Float inputs are widened to float64, so a float32 graph is evaluated exactly.
 */
export function interpret(graph: Graph, outputs: readonly Tensor[], feeds: Feeds): NDArray[] {
  const nodes = nodesFor(outputs);
  const values = new Map<number, NDArray>();
  const used = new Set(nodes.flatMap((n) => n.inputs.map((t) => t.name)).concat(outputs.map((t) => t.name)));
  checkFeeds(graph, feeds, used);
  for (const input of graph.inputs) {
    const feed = feeds[input.name];
    if (feed) values.set(input.id, { dtype: input.dtype, shape: feed.shape, data: toFloat64(feed.data) });
  }
  for (const init of graph.initializers) {
    if (used.has(init.tensor.name)) values.set(init.tensor.id, { dtype: init.tensor.dtype, shape: init.tensor.shape.map(Number), data: toFloat64(init.data) });
  }
  for (const node of nodes) {
    const args = node.inputs.map((t) => {
      const v = values.get(t.id);
      if (!v) throw new GraphError(`interpret: value '${t.name}' needed by ${node.name} is not available`);
      return v;
    });
    const out = defOf(node.op).kernel(args, node.params);
    values.set(node.output.id, out);
  }
  return outputs.map((t) => {
    const v = values.get(t.id);
    if (!v) throw new GraphError(`interpret: output '${t.name}' was not computed`);
    return v;
  });
}
