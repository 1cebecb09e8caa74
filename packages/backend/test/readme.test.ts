import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Executor, Graph, grad, interpret, matMul, mul, reduceSum, tanh } from "../src/index.js";
import { expectClose } from "./helpers.js";

describe("README example", () => {
  it("is the code below, and its ORT results equal the interpreter", async () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    expect(readme).toContain('const loss = reduceSum(g, mul(g, tanh(g, matMul(g, x, w)), 0.5));');
    const g = new Graph();
    const x = g.input("x", "float32", ["batch", 3]);
    const w = g.input("w", "float32", [3, 2]);
    const loss = reduceSum(g, mul(g, tanh(g, matMul(g, x, w)), 0.5));
    const [dw] = grad(g, loss, [w]);
    const executor = new Executor({ device: "cpu" });
    const compiled = await executor.compile(g, { loss, dw });
    const feeds = {
      x: { data: new Float32Array([1, 2, 3, 4, 5, 6]), shape: [2, 3] },
      w: { data: new Float32Array([0.1, -0.2, 0.3, 0.4, -0.5, 0.6]), shape: [3, 2] },
    };
    const out = await compiled.run(feeds);
    const [refLoss, refDw] = interpret(g, [loss, dw], feeds);
    expectClose(out.loss.data, refLoss.data, 1e-5, 1e-6, "loss");
    expectClose(out.dw.data, refDw.data, 1e-5, 1e-6, "dw");
    await executor.release();
  });
});
