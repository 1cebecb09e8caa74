import { describe, expect, it } from "vitest";
import { grad } from "../src/autodiff.js";
import { GradientError } from "../src/errors.js";
import { Graph } from "../src/graph.js";
import { interpret } from "../src/interpreter.js";
import { add, expand, mul, reduceSum, tanh } from "../src/ops/index.js";

const f64 = (values: number[], shape: number[] = [values.length]) => ({ data: Float64Array.from(values), shape });

describe("grad: exact small cases", () => {
  it("sums a broadcast operand's gradient back to its shape", () => {
    const g = new Graph();
    const a = g.input("a", "float64", [2, 3]);
    const b = g.input("b", "float64", [3]);
    const [da, db] = grad(g, reduceSum(g, mul(g, a, b)), [a, b]);
    const [ra, rb] = interpret(g, [da, db], { a: f64([1, 2, 3, 4, 5, 6], [2, 3]), b: f64([10, 20, 30]) });
    expect(Array.from(ra.data)).toEqual([10, 20, 30, 10, 20, 30]);
    expect(ra.shape).toEqual([2, 3]);
    expect(Array.from(rb.data)).toEqual([5, 7, 9]);
    expect(rb.shape).toEqual([3]);
  });

  it("accumulates fan-out: d/dx of x·x + x is 2x + 1", () => {
    const g = new Graph();
    const x = g.input("x", "float64", [3]);
    const [dx] = grad(g, reduceSum(g, add(g, mul(g, x, x), x)), [x]);
    expect(Array.from(interpret(g, [dx], { x: f64([1, -2, 0.5]) })[0].data)).toEqual([3, -3, 2]);
  });

  it("uses a seed for a non-scalar output and rejects a non-scalar loss without one", () => {
    const g = new Graph();
    const x = g.input("x", "float64", [2]);
    const y = tanh(g, x);
    expect(() => grad(g, y, [x])).toThrow(new GradientError("grad: loss 'Tanh:0' must be a scalar, got [2] (pass a seed for non-scalar outputs)"));
    const seed = g.input("seed", "float64", [2]);
    const [dx] = grad(g, y, [x], { seed });
    const r = interpret(g, [dx], { x: f64([0, 0]), seed: f64([2, 3]) })[0];
    expect(Array.from(r.data)).toEqual([2, 3]);
  });

  it("gives an unrelated target a zero gradient of its shape, and refuses integer targets", () => {
    const g = new Graph();
    const x = g.input("x", "float64", [2]);
    const unused = g.input("unused", "float64", [2, 2]);
    const [du] = grad(g, reduceSum(g, x), [unused]);
    expect(du.shape).toEqual([2, 2]);
    expect(Array.from(interpret(g, [du], { unused: f64([1, 2, 3, 4], [2, 2]) })[0].data)).toEqual([0, 0, 0, 0]);
    const ids = g.input("ids", "int64", [2]);
    expect(() => grad(g, reduceSum(g, x), [ids])).toThrow(/cannot differentiate with respect to 'ids' of dtype int64/);
  });

  it("differentiates through Expand by summing over the broadcast axes", () => {
    const g = new Graph();
    const x = g.input("x", "float64", [2, 1]);
    const [dx] = grad(g, reduceSum(g, expand(g, x, [3, 2, 4])), [x]);
    expect(Array.from(interpret(g, [dx], { x: f64([1, 2], [2, 1]) })[0].data)).toEqual([12, 12]);
  });
});
