import type { Graph } from "../graph.js";
import { mapBroadcast, reduceArray, reshapeArray } from "../ndarray.js";
import { normalizeAxis, staticSize } from "../shape.js";
import { cast, div, equal, exp, mul, sub } from "./elementwise.js";
import { expandLike, unsqueeze } from "./movement.js";
import type { NDArray, OpDef, OpDefs, Tensor, VjpRules } from "./types.js";

/** Reductions and the normalizing ops along one axis. */
export type ReduceOp = "ReduceSum" | "ReduceMean" | "ReduceMax" | "Softmax" | "LogSoftmax";

/** Options of the reductions. */
export interface ReduceOptions {
  /** Keep reduced axes as size 1. Defaults to `false`. */
  keepdims?: boolean;
}

function reduceParams(x: Tensor, axes: readonly number[] | undefined, options: ReduceOptions) {
  const rank = x.shape.length;
  const list = axes ?? x.shape.map((_, i) => i);
  const norm = [...new Set(list.map((a) => (a < 0 ? a + rank : a)))].sort((p, q) => p - q);
  return { axes: norm, keepdims: options.keepdims ?? false };
}

/** Sum over `axes` (all axes when omitted). */
export const reduceSum = (g: Graph, x: Tensor, axes?: readonly number[], options: ReduceOptions = {}) => g.apply("ReduceSum", [x], reduceParams(x, axes, options));
/** Mean over `axes` (all axes when omitted; ONNX ReduceMean); reduced axes are dropped unless `keepdims`. */
export const reduceMean = (g: Graph, x: Tensor, axes?: readonly number[], options: ReduceOptions = {}) => g.apply("ReduceMean", [x], reduceParams(x, axes, options));
/** Maximum over `axes` (all axes when omitted; ONNX ReduceMax); reduced axes are dropped unless `keepdims`. */
export const reduceMax = (g: Graph, x: Tensor, axes?: readonly number[], options: ReduceOptions = {}) => g.apply("ReduceMax", [x], reduceParams(x, axes, options));
/** Softmax along `axis` (ONNX Softmax; negative counts from the end); same shape as `x`. */
export const softmax = (g: Graph, x: Tensor, axis = -1) => g.apply("Softmax", [x], { axis: axis < 0 ? axis + x.shape.length : axis });
/** Log of the softmax along `axis` (ONNX LogSoftmax; negative counts from the end); same shape as `x`. */
export const logSoftmax = (g: Graph, x: Tensor, axis = -1) => g.apply("LogSoftmax", [x], { axis: axis < 0 ? axis + x.shape.length : axis });

function reduction<K extends "ReduceSum" | "ReduceMean" | "ReduceMax">(init: number, f: (a: number, v: number) => number, mean: boolean): OpDef<K> {
  return {
    arity: [1, 1],
    infer: ([x], { axes, keepdims }, where) => {
      for (const a of axes) normalizeAxis(a, x.shape.length, where);
      return { dtype: x.dtype, shape: keepdims ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : x.shape.filter((_, i) => !axes.includes(i)) };
    },
    lower: (n, ctx) => {
      const keepdims = { int: Number(n.params.keepdims) };
      // Opset 17: ReduceSum takes axes as an input, ReduceMean/ReduceMax as an attribute.
      if (n.op === "ReduceSum") ctx.emit(n.op, [n.inputs[0].name, ctx.constant(n.params.axes)], [n.output.name], { keepdims });
      else ctx.emit(n.op, [n.inputs[0].name], [n.output.name], { axes: { ints: n.params.axes }, keepdims });
    },
    kernel: ([x], { axes, keepdims }) => {
      const r = reduceArray(x, axes, init, f);
      const count = axes.reduce((p, a) => p * x.shape[a], 1);
      if (mean) for (let i = 0; i < r.data.length; i++) r.data[i] /= count;
      return keepdims ? r : reshapeArray(r, x.shape.filter((_, i) => !axes.includes(i)));
    },
  };
}

function softmaxKernel(x: NDArray, axis: number, logOut: boolean): NDArray {
  const max = reduceArray(x, [axis], -Infinity, Math.max);
  const shifted = mapBroadcast(x.dtype, [x, max], (v, m) => v - m);
  const sum = reduceArray(mapBroadcast(x.dtype, [shifted], Math.exp), [axis], 0, (a, v) => a + v);
  return mapBroadcast(x.dtype, [shifted, sum], logOut ? (v, s) => v - Math.log(s) : (v, s) => Math.exp(v) / s);
}

function normalizer<K extends "Softmax" | "LogSoftmax">(logOut: boolean): OpDef<K> {
  return {
    arity: [1, 1],
    infer: ([x], { axis }, where) => {
      normalizeAxis(axis, x.shape.length, where);
      return { dtype: x.dtype, shape: x.shape };
    },
    lower: (n, ctx) => ctx.emit(n.op, [n.inputs[0].name], [n.output.name], { axis: { int: n.params.axis } }),
    kernel: ([x], { axis }) => softmaxKernel(x, axis, logOut),
  };
}

export const reduceDefs: OpDefs<ReduceOp> = {
  ReduceSum: reduction(0, (a, v) => a + v, false),
  ReduceMean: reduction(0, (a, v) => a + v, true),
  ReduceMax: reduction(-Infinity, Math.max, false),
  Softmax: normalizer(false),
  LogSoftmax: normalizer(true),
};

/** `dy` with the reduced axes restored as size 1. */
function keptDims(g: Graph, dy: Tensor, axes: readonly number[], keepdims: boolean): Tensor {
  return keepdims ? dy : unsqueeze(g, dy, axes);
}

export const reduceVjp: VjpRules<ReduceOp> = {
  ReduceSum: (g, { inputs: [x], params: { axes, keepdims } }, dy) => [expandLike(g, keptDims(g, dy, axes, keepdims), x)],
  ReduceMean: (g, { inputs: [x], params: { axes, keepdims } }, dy) => {
    const count = staticSize(axes.map((a) => x.shape[a]));
    // Static count: divide the reduced gradient before spreading it (one pass over the small tensor, not the big one).
    if (count !== undefined) return [expandLike(g, div(g, keptDims(g, dy, axes, keepdims), count), x)];
    const spread = expandLike(g, keptDims(g, dy, axes, keepdims), x);
    // Symbolic reduced axes: count them at run time (costs one pass over x's shape, only off the static path).
    const ones = expandLike(g, g.constant(1, x.dtype), x);
    return [div(g, spread, g.apply("ReduceSum", [ones], { axes, keepdims: true }))];
  },
  ReduceMax: (g, { inputs: [x], output: y, params: { axes, keepdims } }, dy) => {
    // Ties share the gradient equally, as the subgradient average.
    const mask = cast(g, equal(g, x, keptDims(g, y, axes, keepdims)), x.dtype);
    const count = g.apply("ReduceSum", [mask], { axes, keepdims: true });
    return [mul(g, mask, div(g, keptDims(g, dy, axes, keepdims), count))];
  },
  Softmax: (g, { output: y, params: { axis } }, dy) => {
    const dot = g.apply("ReduceSum", [mul(g, dy, y)], { axes: [axis], keepdims: true });
    return [mul(g, y, sub(g, dy, dot))];
  },
  LogSoftmax: (g, { output: y, params: { axis } }, dy) => {
    const total = g.apply("ReduceSum", [dy], { axes: [axis], keepdims: true });
    return [sub(g, dy, mul(g, exp(g, y), total))];
  },
};
