import { isFloat } from "./dtype.js";
import { GradientError } from "./errors.js";
import type { Graph } from "./graph.js";
import { add } from "./ops/elementwise.js";
import { expandLike, reshapeLike } from "./ops/movement.js";
import { vjp } from "./ops/registry.js";
import type { Node, OpType, Tensor, VjpRule } from "./ops/types.js";
import { formatShape, sameShape } from "./shape.js";

function ruleOf<K extends OpType>(op: K): VjpRule<K> {
  return vjp[op];
}

/** Options of {@link grad}. */
export interface GradOptions {
  /** Upstream gradient for a non-scalar `loss` (same shape). Defaults to `undefined`: `loss` must be a scalar and is seeded with 1. */
  seed?: Tensor;
}

/** Sums a broadcast gradient back to `target`'s shape (leading axes dropped, size-1 axes kept); a lower-rank one is broadcast up. */
export function sumToShape(g: Graph, grad: Tensor, target: Tensor): Tensor {
  if (sameShape(grad.shape, target.shape)) return grad;
  if (grad.shape.length < target.shape.length) return expandLike(g, grad, target);
  const extra = grad.shape.length - target.shape.length;
  const axes: number[] = [];
  grad.shape.forEach((d, i) => {
    const t = i < extra ? undefined : target.shape[i - extra];
    if (t === undefined || (t === 1 && d !== 1)) axes.push(i);
    else if (t !== d) {
      throw new GradientError(`gradient of ${target.name}: cannot sum ${formatShape(grad.shape)} to ${formatShape(target.shape)} (dim ${i})`);
    }
  });
  if (axes.length === 0) return grad;
  const summed = g.apply("ReduceSum", [grad], { axes, keepdims: true });
  return sameShape(summed.shape, target.shape) ? summed : reshapeLike(g, summed, target);
}

/** Tensors that depend on any of `wrt` through float values, as ids. */
function dependents(nodes: readonly Node[], wrt: readonly Tensor[]): Set<number> {
  const reach = new Set(wrt.map((t) => t.id));
  for (const n of nodes) {
    if (isFloat(n.output.dtype) && n.inputs.some((t) => reach.has(t.id))) reach.add(n.output.id);
  }
  return reach;
}

/** Nodes `loss` depends on, in topological order. */
function ancestors(loss: Tensor): Node[] {
  const seen = new Set<number>();
  const stack = loss.producer ? [loss.producer] : [];
  const out: Node[] = [];
  while (stack.length > 0) {
    const n = stack.pop() as Node;
    if (seen.has(n.id)) continue;
    seen.add(n.id);
    out.push(n);
    for (const t of n.inputs) if (t.producer) stack.push(t.producer);
  }
  return out.sort((a, b) => a.id - b.id);
}

/**
 * Reverse-mode gradients of `loss` with respect to each of `wrt`, added to `g` as backward nodes. Only nodes on a
 * path from `wrt` to `loss` get rules applied, so frozen weights cost no weight-gradient products. A `wrt` tensor that
 * `loss` does not depend on gets a zero gradient of its shape.
 */
export function grad(g: Graph, loss: Tensor, wrt: readonly Tensor[], options: GradOptions = {}): Tensor[] {
  if (!options.seed && loss.shape.length !== 0) {
    throw new GradientError(`grad: loss '${loss.name}' must be a scalar, got ${formatShape(loss.shape)} (pass a seed for non-scalar outputs)`);
  }
  for (const t of wrt) {
    if (!isFloat(t.dtype)) throw new GradientError(`grad: cannot differentiate with respect to '${t.name}' of dtype ${t.dtype}`);
  }
  const nodes = ancestors(loss);
  const live = dependents(nodes, wrt);
  const grads = new Map<number, Tensor>([[loss.id, options.seed ?? g.constant(1, loss.dtype)]]);
  return g.scope("grad", () => {
    for (let i = nodes.length - 1; i >= 0; i--) {
      const node = nodes[i];
      const dy = grads.get(node.output.id);
      if (!dy || !live.has(node.output.id)) continue;
      const needed = node.inputs.map((t) => live.has(t.id));
      const results = g.scope(node.name, () => ruleOf(node.op)(g, node, dy, needed));
      node.inputs.forEach((input, k) => {
        const gi = results[k];
        if (!needed[k]) return;
        if (!gi) throw new GradientError(`grad: the ${node.op} rule gave no gradient for input ${k} ('${input.name}') of node '${node.name}'`);
        const shaped = g.scope(node.name, () => sumToShape(g, gi, input));
        const prev = grads.get(input.id);
        grads.set(input.id, prev ? g.scope(node.name, () => add(g, prev, shaped)) : shaped);
      });
    }
    return wrt.map((t) => grads.get(t.id) ?? zerosLike(g, t));
  });
}

function zerosLike(g: Graph, t: Tensor): Tensor {
  return g.apply("Mul", [t, g.constant(0, t.dtype)], {});
}
