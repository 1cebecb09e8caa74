import { expect } from "vitest";
import type { DType } from "../src/dtype.js";
import { ExecutionError } from "../src/errors.js";
import type { Executor } from "../src/executor.js";
import { Graph } from "../src/graph.js";
import type { Feeds, HostTensor } from "../src/host-tensor.js";
import { interpret } from "../src/interpreter.js";
import { grad } from "../src/autodiff.js";
import { mul } from "../src/ops/elementwise.js";
import { reduceSum } from "../src/ops/reduce.js";
import type { Tensor } from "../src/ops/types.js";
import { draw, expectClose, rng, type Draw } from "./helpers.js";

/** One op test: inputs to draw, and the graph from them to the tensor under test. */
export interface OpCase {
  name: string;
  inputs: Record<string, { shape: number[]; draw?: Draw; dtype?: DType }>;
  build: (g: Graph, x: Record<string, Tensor>, dtype: DType) => Tensor;
}

function buildCase(c: OpCase, dtype: DType, seed: number) {
  const g = new Graph();
  const next = rng(seed);
  const x: Record<string, Tensor> = {};
  const feeds: Record<string, HostTensor> = {};
  for (const [name, spec] of Object.entries(c.inputs)) {
    const isInt = spec.draw?.kind === "int";
    const t = spec.dtype ?? (isInt ? "int64" : spec.draw?.kind === "bool" ? "bool" : dtype);
    x[name] = g.input(name, t, spec.shape);
    feeds[name] = draw(next, t, spec.shape, spec.draw);
  }
  const out = c.build(g, x, dtype);
  const floats = Object.values(x).filter((t) => t.dtype === dtype);
  let loss: Tensor | undefined;
  let grads: Tensor[] = [];
  if (out.dtype === dtype && floats.length > 0) {
    const weights = g.input("__weights", dtype, out.shape);
    feeds.__weights = draw(next, dtype, out.shape.map(Number));
    loss = reduceSum(g, mul(g, out, weights));
    grads = grad(g, loss, floats);
  }
  return { g, out, loss, grads, floats, feeds };
}

/** Central differences of a scalar loss with respect to every element of feed `name`. */
async function finiteDifferences(lossOf: (f: Feeds) => Promise<number>, feeds: Feeds, name: string, h = 1e-6): Promise<Float64Array> {
  const base = feeds[name];
  const fd = new Float64Array(base.data.length);
  for (let i = 0; i < fd.length; i++) {
    const shifted = (delta: number) => {
      const data = Float64Array.from(base.data as Float64Array);
      data[i] += delta;
      return lossOf({ ...feeds, [name]: { data, shape: base.shape } });
    };
    fd[i] = ((await shifted(h)) - (await shifted(-h))) / (2 * h);
  }
  return fd;
}

/**
 * Checks an op: its gradients (interpreter) against central finite differences in float64; then the ONNX model on
 * ORT CPU — in float64 where ORT has float64 kernels, its gradients against finite differences of its own loss and
 * everything against the interpreter; else float32 against the interpreter at float32 tolerance.
 */
export async function checkOp(c: OpCase, executor: Executor): Promise<{ ortDtype: DType }> {
  const { g, out, loss, grads, floats, feeds } = buildCase(c, "float64", 7);
  const reference = interpret(g, [out, ...grads], feeds);
  if (loss) {
    for (const [k, t] of floats.entries()) {
      const fd = await finiteDifferences(async (f) => interpret(g, [loss], f)[0].data[0], feeds, t.name);
      expectClose(reference[k + 1].data, fd, 1e-5, 1e-6, `${c.name}: d/d${t.name} vs finite differences`);
    }
  }
  for (const dtype of ["float64", "float32"] as const) {
    const built = dtype === "float64" ? { g, out, grads, feeds } : buildCase(c, "float32", 7);
    const outputs = Object.fromEntries([["out", built.out], ...built.grads.map((t, k) => [`grad${k}`, t])]);
    try {
      const compiled = await executor.compile(built.g, outputs);
      const result = await compiled.run(built.feeds);
      const expected = dtype === "float64" ? reference : interpret(built.g, [built.out, ...built.grads], built.feeds);
      const [rtol, atol] = dtype === "float64" ? [1e-9, 1e-12] : [2e-4, 2e-5];
      expect(result.out.shape).toEqual(expected[0].shape);
      expectClose(result.out.data, expected[0].data, rtol, atol, `${c.name}: ORT ${dtype} forward`);
      built.grads.forEach((_, k) => expectClose(result[`grad${k}`].data, expected[k + 1].data, rtol, atol, `${c.name}: ORT ${dtype} grad ${k}`));
      await compiled.release();
      if (dtype === "float64" && loss) {
        const lossSession = await executor.compile(g, { loss });
        for (const [k, t] of floats.entries()) {
          const fd = await finiteDifferences(async (f) => Number((await lossSession.run(f)).loss.data[0]), feeds, t.name);
          expectClose(result[`grad${k}`].data, fd, 1e-5, 1e-6, `${c.name}: ORT float64 d/d${t.name} vs ORT finite differences`);
        }
        await lossSession.release();
      }
      if (process.env.OP_CHECK_VERBOSE) console.log(`${c.name}: ORT ${dtype}`);
      return { ortDtype: dtype };
    } catch (err) {
      // Only a missing float64 kernel sends us to float32; anything else is a failure.
      if (!(dtype === "float64" && err instanceof ExecutionError && /NOT_IMPLEMENTED|Could not find an implementation/.test(err.message))) throw err;
    }
  }
  throw new Error("unreachable");
}
