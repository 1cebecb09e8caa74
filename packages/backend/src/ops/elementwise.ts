import { isFloat, onnxDataType, type DType } from "../dtype.js";
import { ShapeError } from "../errors.js";
import type { Graph } from "../graph.js";
import { castValue, mapBroadcast } from "../ndarray.js";
import { broadcastShapes } from "../shape.js";
import type { OpDef, OpDefs, Tensor, VjpRules } from "./types.js";

/** Elementwise arithmetic, comparisons, Where and Cast. */
export type ElementwiseOp = BinaryOp | UnaryOp | "Mod" | "Equal" | "Less" | "Where" | "Cast";
type BinaryOp = "Add" | "Sub" | "Mul" | "Div" | "Pow";
type UnaryOp = "Sqrt" | "Exp" | "Log" | "Neg" | "Tanh" | "Erf" | "Sigmoid";

/** A tensor, or a number that becomes a scalar constant of the other operand's dtype. */
export type Operand = Tensor | number;

function operands(g: Graph, a: Operand, b: Operand): [Tensor, Tensor] {
  if (typeof a === "number" && typeof b === "number") throw new ShapeError("binary op: at least one operand must be a tensor");
  const ta = typeof a === "number" ? g.constant(a, (b as Tensor).dtype) : a;
  const tb = typeof b === "number" ? g.constant(b, ta.dtype) : b;
  return [ta, tb];
}

/** Elementwise `a + b` (ONNX Add), numpy-style broadcasting; a number operand becomes a scalar of the other operand's dtype. */
export const add = (g: Graph, a: Operand, b: Operand) => g.apply("Add", operands(g, a, b), {});
/** Elementwise `a − b` (ONNX Sub), numpy-style broadcasting; a number operand becomes a scalar of the other operand's dtype. */
export const sub = (g: Graph, a: Operand, b: Operand) => g.apply("Sub", operands(g, a, b), {});
/** Elementwise `a · b` (ONNX Mul), numpy-style broadcasting; a number operand becomes a scalar of the other operand's dtype. */
export const mul = (g: Graph, a: Operand, b: Operand) => g.apply("Mul", operands(g, a, b), {});
/** Elementwise `a / b` (ONNX Div), numpy-style broadcasting; a number operand becomes a scalar of the other operand's dtype. */
export const div = (g: Graph, a: Operand, b: Operand) => g.apply("Div", operands(g, a, b), {});
/** Elementwise `a ** b` (ONNX Pow), numpy-style broadcasting; a number operand becomes a scalar of the other operand's dtype. */
export const pow = (g: Graph, a: Operand, b: Operand) => g.apply("Pow", operands(g, a, b), {});
/** Elementwise integer `a mod b` (ONNX Mod), the result taking the divisor's sign; for hashing, so it has no gradient. */
export const mod = (g: Graph, a: Operand, b: Operand) => g.apply("Mod", operands(g, a, b), {});
/** Elementwise square root (ONNX Sqrt) of a float tensor; same shape. */
export const sqrt = (g: Graph, x: Tensor) => g.apply("Sqrt", [x], {});
/** Elementwise `eˣ` (ONNX Exp) of a float tensor; same shape. */
export const exp = (g: Graph, x: Tensor) => g.apply("Exp", [x], {});
/** Elementwise natural log (ONNX Log) of a float tensor; same shape. */
export const log = (g: Graph, x: Tensor) => g.apply("Log", [x], {});
/** Elementwise `−x` (ONNX Neg) of a float tensor; same shape. */
export const neg = (g: Graph, x: Tensor) => g.apply("Neg", [x], {});
/** Elementwise hyperbolic tangent (ONNX Tanh) of a float tensor; same shape. */
export const tanh = (g: Graph, x: Tensor) => g.apply("Tanh", [x], {});
/** Elementwise error function (ONNX Erf) of a float tensor; same shape. */
export const erf = (g: Graph, x: Tensor) => g.apply("Erf", [x], {});
/** Elementwise `1 / (1 + e⁻ˣ)` (ONNX Sigmoid) of a float tensor; same shape. */
export const sigmoid = (g: Graph, x: Tensor) => g.apply("Sigmoid", [x], {});
/** Elementwise `a == b` (ONNX Equal) giving bool, numpy-style broadcasting; a number operand becomes a scalar of the other operand's dtype. */
export const equal = (g: Graph, a: Operand, b: Operand) => g.apply("Equal", operands(g, a, b), {});
/** Elementwise `a < b` (ONNX Less) giving bool, numpy-style broadcasting; a number operand becomes a scalar of the other operand's dtype. */
export const less = (g: Graph, a: Operand, b: Operand) => g.apply("Less", operands(g, a, b), {});
/** `cond ? a : b` elementwise with broadcasting; `cond` is bool. */
export const where = (g: Graph, cond: Tensor, a: Operand, b: Operand) => g.apply("Where", [cond, ...operands(g, a, b)], {});
/** Converts `x` to dtype `to` (ONNX Cast); same shape, and known int contents carry over. */
export const cast = (g: Graph, x: Tensor, to: DType) => g.apply("Cast", [x], { to });

function sameDtype(inputs: readonly Tensor[], where: () => string): DType {
  const dtype = inputs[0].dtype;
  for (const t of inputs) {
    if (t.dtype !== dtype) throw new ShapeError(`${where()}: dtypes differ (${inputs.map((x) => x.dtype).join(" vs ")})`);
  }
  return dtype;
}

function binary<K extends BinaryOp | "Equal" | "Less">(f: (a: number, b: number) => number, cmp = false): OpDef<K> {
  return {
    arity: [2, 2],
    infer: ([a, b], _p, where) => ({
      dtype: cmp ? "bool" : sameDtype([a, b], where),
      shape: broadcastShapes(a.shape, b.shape, where),
    }),
    lower: (n, ctx) => ctx.emit(n.op, [n.inputs[0].name, n.inputs[1].name], [n.output.name]),
    kernel: ([a, b]) => mapBroadcast(cmp ? "bool" : a.dtype, [a, b], (x, y) => (cmp ? Number(f(x, y)) : f(x, y))),
  };
}

function unary<K extends UnaryOp>(f: (x: number) => number): OpDef<K> {
  return {
    arity: [1, 1],
    infer: ([x], _p, where) => {
      if (!isFloat(x.dtype)) throw new ShapeError(`${where()}: needs a float input, got ${x.dtype}`);
      return { dtype: x.dtype, shape: x.shape };
    },
    lower: (n, ctx) => ctx.emit(n.op, [n.inputs[0].name], [n.output.name]),
    kernel: ([x]) => mapBroadcast(x.dtype, [x], f),
  };
}

/** Abramowitz–Stegun 7.1.26 is too coarse for gradient checks; this series/continued-fraction pair is ~1e-15. */
function erfValue(x: number): number {
  const ax = Math.abs(x);
  if (ax < 2.5) {
    let term = x;
    let sum = x;
    for (let n = 1; n < 80; n++) {
      term *= (-x * x) / n;
      sum += term / (2 * n + 1);
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc continued fraction (Lentz) for large |x|.
  let f = ax;
  for (let k = 60; k >= 1; k--) f = ax + k / 2 / f;
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
  return Math.sign(x) * (1 - erfc);
}

export const elementwiseDefs: OpDefs<ElementwiseOp> = {
  Add: binary((a, b) => a + b),
  Sub: binary((a, b) => a - b),
  Mul: binary((a, b) => a * b),
  Div: binary((a, b) => a / b),
  Pow: binary((a, b) => a ** b),
  Mod: {
    arity: [2, 2],
    infer: ([a, b], _p, where) => {
      const dtype = sameDtype([a, b], where);
      if (dtype !== "int64" && dtype !== "int32") throw new ShapeError(`${where()}: needs integer inputs, got ${dtype}`);
      return { dtype, shape: broadcastShapes(a.shape, b.shape, where) };
    },
    lower: (n, ctx) => ctx.emit("Mod", [n.inputs[0].name, n.inputs[1].name], [n.output.name]),
    kernel: ([a, b]) => mapBroadcast(a.dtype, [a, b], (x, y) => ((x % y) + y) % y),
  },
  Equal: binary((a, b) => Number(a === b), true),
  Less: binary((a, b) => Number(a < b), true),
  Sqrt: unary(Math.sqrt),
  Exp: unary(Math.exp),
  Log: unary(Math.log),
  Neg: unary((x) => -x),
  Tanh: unary(Math.tanh),
  Erf: unary(erfValue),
  Sigmoid: unary((x) => 1 / (1 + Math.exp(-x))),
  Where: {
    arity: [3, 3],
    infer: ([c, a, b], _p, where) => {
      if (c.dtype !== "bool") throw new ShapeError(`${where()}: condition must be bool, got ${c.dtype}`);
      return { dtype: sameDtype([a, b], where), shape: broadcastShapes(broadcastShapes(c.shape, a.shape, where), b.shape, where) };
    },
    lower: (n, ctx) => ctx.emit("Where", n.inputs.map((t) => t.name), [n.output.name]),
    kernel: ([c, a, b]) => mapBroadcast(a.dtype, [c, a, b], (cv, x, y) => (cv !== 0 ? x : y)),
  },
  Cast: {
    arity: [1, 1],
    infer: ([x], p) => ({ dtype: p.to, shape: x.shape, value: x.value }),
    lower: (n, ctx) => ctx.emit("Cast", [n.inputs[0].name], [n.output.name], { to: { int: onnxDataType[n.params.to] } }),
    kernel: ([x], p) => mapBroadcast(p.to, [x], (v) => castValue(v, p.to)),
  },
};

const none = () => [];

export const elementwiseVjp: VjpRules<ElementwiseOp> = {
  Add: (_g, _n, dy) => [dy, dy],
  Sub: (g, _n, dy, need) => [dy, need[1] ? neg(g, dy) : undefined],
  Mul: (g, { inputs: [a, b] }, dy, need) => [need[0] ? mul(g, dy, b) : undefined, need[1] ? mul(g, dy, a) : undefined],
  Div: (g, { inputs: [, b], output: y }, dy, need) => [
    need[0] ? div(g, dy, b) : undefined,
    need[1] ? neg(g, div(g, mul(g, dy, y), b)) : undefined,
  ],
  Pow: (g, { inputs: [a, b], output: y }, dy, need) => [
    need[0] ? mul(g, dy, mul(g, b, pow(g, a, sub(g, b, 1)))) : undefined,
    need[1] ? mul(g, dy, mul(g, log(g, a), y)) : undefined,
  ],
  Sqrt: (g, { output: y }, dy) => [div(g, mul(g, dy, 0.5), y)],
  Exp: (g, { output: y }, dy) => [mul(g, dy, y)],
  Log: (g, { inputs: [x] }, dy) => [div(g, dy, x)],
  Neg: (g, _n, dy) => [neg(g, dy)],
  Tanh: (g, { output: y }, dy) => [mul(g, dy, sub(g, 1, mul(g, y, y)))],
  Erf: (g, { inputs: [x] }, dy) => [mul(g, dy, mul(g, exp(g, neg(g, mul(g, x, x))), 2 / Math.sqrt(Math.PI)))],
  Sigmoid: (g, { output: y }, dy) => [mul(g, dy, mul(g, y, sub(g, 1, y)))],
  Mod: none,
  Equal: none,
  Less: none,
  Where: (g, { inputs: [c] }, dy, need) => [
    undefined,
    need[1] ? where(g, c, dy, 0) : undefined,
    need[2] ? where(g, c, 0, dy) : undefined,
  ],
  Cast: (g, { inputs: [x] }, dy) => [isFloat(x.dtype) ? cast(g, dy, x.dtype) : undefined],
};
