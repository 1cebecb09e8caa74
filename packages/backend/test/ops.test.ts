import { afterAll, describe, expect, it } from "vitest";
import { Executor } from "../src/executor.js";
import * as op from "../src/index.js";
import { checkOp, type OpCase } from "./op-check.js";

const cases: OpCase[] = [
  { name: "Add (broadcast)", inputs: { a: { shape: [2, 3] }, b: { shape: [3] } }, build: (g, { a, b }) => op.add(g, a, b) },
  { name: "Sub (broadcast)", inputs: { a: { shape: [2, 1] }, b: { shape: [2, 3] } }, build: (g, { a, b }) => op.sub(g, a, b) },
  { name: "Mul (broadcast)", inputs: { a: { shape: [2, 3, 2] }, b: { shape: [3, 1] } }, build: (g, { a, b }) => op.mul(g, a, b) },
  { name: "Div", inputs: { a: { shape: [2, 3] }, b: { shape: [2, 3], draw: { kind: "positive" } } }, build: (g, { a, b }) => op.div(g, a, b) },
  { name: "Pow", inputs: { a: { shape: [2, 3], draw: { kind: "positive" } }, b: { shape: [3] } }, build: (g, { a, b }) => op.pow(g, a, b) },
  { name: "Sqrt", inputs: { x: { shape: [5], draw: { kind: "positive" } } }, build: (g, { x }) => op.sqrt(g, x) },
  { name: "Exp", inputs: { x: { shape: [5] } }, build: (g, { x }) => op.exp(g, x) },
  { name: "Log", inputs: { x: { shape: [5], draw: { kind: "positive" } } }, build: (g, { x }) => op.log(g, x) },
  { name: "Neg", inputs: { x: { shape: [5] } }, build: (g, { x }) => op.neg(g, x) },
  { name: "Tanh", inputs: { x: { shape: [5] } }, build: (g, { x }) => op.tanh(g, x) },
  { name: "Erf", inputs: { x: { shape: [6], draw: { kind: "normal", scale: 3 } } }, build: (g, { x }) => op.erf(g, x) },
  { name: "Sigmoid", inputs: { x: { shape: [5] } }, build: (g, { x }) => op.sigmoid(g, x) },
  { name: "Where", inputs: { c: { shape: [2, 3], draw: { kind: "bool" } }, a: { shape: [2, 3] }, b: { shape: [3] } }, build: (g, { c, a, b }) => op.where(g, c, a, b) },
  { name: "Equal", inputs: { a: { shape: [4], draw: { kind: "int", max: 3 } }, b: { shape: [4], draw: { kind: "int", max: 3 } } }, build: (g, { a, b }) => op.equal(g, a, b) },
  { name: "Less (feeds Where)", inputs: { a: { shape: [2, 3] }, b: { shape: [2, 3] } }, build: (g, { a, b }) => op.where(g, op.less(g, a, b), a, b) },
  {
    name: "Mod (integers, the divisor's sign)",
    inputs: { a: { shape: [6], draw: { kind: "int", max: 20 } }, b: { shape: [6], draw: { kind: "int", max: 4 } }, x: { shape: [6] } },
    build: (g, { a, b, x }, d) => op.mul(g, op.cast(g, op.mod(g, op.sub(g, a, 10), op.add(g, b, 1)), d), x),
  },
  { name: "Cast (int → float)", inputs: { i: { shape: [4], draw: { kind: "int", max: 9 } }, x: { shape: [4] } }, build: (g, { i, x }, d) => op.mul(g, op.cast(g, i, d), x) },
  { name: "MatMul (batched, broadcast)", inputs: { a: { shape: [2, 3, 4] }, b: { shape: [4, 2] } }, build: (g, { a, b }) => op.matMul(g, a, b) },
  { name: "MatMul (both batched)", inputs: { a: { shape: [2, 1, 3, 4] }, b: { shape: [3, 4, 2] } }, build: (g, { a, b }) => op.matMul(g, a, b) },
  { name: "Gemm (transA, bias)", inputs: { a: { shape: [4, 3] }, b: { shape: [4, 2] }, c: { shape: [2] } }, build: (g, { a, b, c }) => op.gemm(g, a, b, c, { transA: true, alpha: 0.5, beta: 2 }) },
  { name: "Gemm (transB)", inputs: { a: { shape: [3, 4] }, b: { shape: [2, 4] } }, build: (g, { a, b }) => op.gemm(g, a, b, undefined, { transB: true }) },
  { name: "Gemm (transA, transB)", inputs: { a: { shape: [4, 3] }, b: { shape: [2, 4] } }, build: (g, { a, b }) => op.gemm(g, a, b, undefined, { transA: true, transB: true }) },
  { name: "ReduceSum", inputs: { x: { shape: [2, 3, 4] } }, build: (g, { x }) => op.reduceSum(g, x, [0, 2]) },
  { name: "ReduceMean (keepdims)", inputs: { x: { shape: [2, 3, 4] } }, build: (g, { x }) => op.reduceMean(g, x, [-1], { keepdims: true }) },
  { name: "ReduceMax", inputs: { x: { shape: [3, 4] } }, build: (g, { x }) => op.reduceMax(g, x, [1]) },
  { name: "Softmax", inputs: { x: { shape: [2, 5] } }, build: (g, { x }) => op.softmax(g, x, -1) },
  { name: "LogSoftmax (axis 0)", inputs: { x: { shape: [4, 3] } }, build: (g, { x }) => op.logSoftmax(g, x, 0) },
  { name: "Transpose", inputs: { x: { shape: [2, 3, 4] } }, build: (g, { x }) => op.transpose(g, x, [2, 0, 1]) },
  { name: "Reshape", inputs: { x: { shape: [2, 3, 4] } }, build: (g, { x }) => op.reshape(g, x, [0, -1, 2]) },
  { name: "Unsqueeze + Squeeze", inputs: { x: { shape: [3, 4] } }, build: (g, { x }) => op.mul(g, op.unsqueeze(g, x, [0, 2]), op.squeeze(g, op.unsqueeze(g, x, [1]), [1])) },
  { name: "Concat", inputs: { a: { shape: [2, 3] }, b: { shape: [2, 2] } }, build: (g, { a, b }) => op.concat(g, [a, b, a], 1) },
  { name: "Slice", inputs: { x: { shape: [4, 5] } }, build: (g, { x }) => op.slice(g, x, [1, -3], [3, op.TO_END], [0, 1]) },
  { name: "Pad", inputs: { x: { shape: [2, 3] } }, build: (g, { x }) => op.pad(g, x, [1, 0, 0, 2]) },
  { name: "Expand", inputs: { x: { shape: [3, 1] } }, build: (g, { x }) => op.expand(g, x, [2, 3, 4]) },
  { name: "Gather (embedding, repeated ids)", inputs: { w: { shape: [5, 3] }, ids: { shape: [2, 3], draw: { kind: "int", max: 5 } } }, build: (g, { w, ids }) => op.gather(g, w, ids) },
  { name: "Gather (axis 1, constant index)", inputs: { x: { shape: [3, 4] } }, build: (g, { x }) => op.reduceSum(g, op.gather(g, op.transpose(g, x, [1, 0]), g.constant([2, 0], "int64")), [0]) },
  { name: "Gather (axis 1, 2-D indices)", inputs: { x: { shape: [2, 4, 3] }, ids: { shape: [2, 2], draw: { kind: "int", max: 4 } } }, build: (g, { x, ids }) => op.gather(g, x, ids, 1) },
  { name: "Trilu (upper, k=1)", inputs: { x: { shape: [2, 3, 3] } }, build: (g, { x }) => op.trilu(g, x, true, 1) },
  {
    name: "Range + Shape (causal mask)",
    inputs: { x: { shape: [4, 4] } },
    build: (g, { x }) => {
      const n = op.gather(g, op.shapeOf(g, x), g.constant(0, "int64"));
      const r = op.range(g, g.constant(0, "int64"), n, g.constant(1, "int64"));
      const mask = op.less(g, op.unsqueeze(g, r, [0]), op.unsqueeze(g, r, [1]));
      return op.where(g, mask, -1e4, x);
    },
  },
  { name: "ScatterAdd", inputs: { like: { shape: [4, 2] }, ids: { shape: [3], draw: { kind: "int", max: 4 } }, u: { shape: [3, 2] } }, build: (g, { like, ids, u }) => op.scatterAdd(g, like, ids, u) },
];

const executor = new Executor({ device: "cpu", intraOpNumThreads: 1 });
afterAll(() => executor.release());

/** Ops whose ORT CPU kernels have no float64 version, so their ONNX check runs in float32. */
const float32Only = new Set(["Erf"]);

describe("ops: gradients vs finite differences, ORT cpu vs interpreter", () => {
  it.each(cases.map((c) => [c.name, c] as const))("%s", async (name, c) => {
    const { ortDtype } = await checkOp(c, executor);
    expect(ortDtype).toBe(float32Only.has(name) ? "float32" : "float64");
  });
});
