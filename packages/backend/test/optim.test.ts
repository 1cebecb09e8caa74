import { afterAll, describe, expect, it } from "vitest";
import { grad } from "../src/autodiff.js";
import { Executor } from "../src/executor.js";
import { Graph } from "../src/graph.js";
import type { HostTensor } from "../src/host-tensor.js";
import { interpret } from "../src/interpreter.js";
import { crossEntropy } from "../src/nn/loss.js";
import { linear } from "../src/nn/linear.js";
import { accumulateGradients, averageAccumulated } from "../src/optim/accumulate.js";
import { adamW } from "../src/optim/adamw.js";
import { clipByGlobalNorm } from "../src/optim/clip.js";
import { trainStep } from "../src/optim/train-step.js";
import { mul, reduceSum, slice, tanh } from "../src/ops/index.js";
import { draw, expectClose, rng } from "./helpers.js";

const f64 = (values: number[], shape: number[] = [values.length]): HostTensor => ({ data: Float64Array.from(values), shape });

/** torch.optim.AdamW, written out in plain float64 for one tensor. */
function adamwReference(p: number[], gr: number[], m: number[], v: number[], lr: number, t: number, b1 = 0.9, b2 = 0.999, eps = 1e-8, wd = 0.01) {
  const out = { p: [] as number[], m: [] as number[], v: [] as number[] };
  p.forEach((pi, i) => {
    const mi = b1 * m[i] + (1 - b1) * gr[i];
    const vi = b2 * v[i] + (1 - b2) * gr[i] * gr[i];
    const mhat = mi / (1 - b1 ** t);
    const vhat = vi / (1 - b2 ** t);
    out.p.push(pi * (1 - lr * wd) - (lr * mhat) / (Math.sqrt(vhat) + eps));
    out.m.push(mi);
    out.v.push(vi);
  });
  return out;
}

const executor = new Executor({ device: "cpu", intraOpNumThreads: 1 });
afterAll(() => executor.release());

describe("AdamW", () => {
  it("matches torch's update rule (bias correction, decoupled decay) on the interpreter and ORT", async () => {
    const g = new Graph();
    const [p, gr, m, v] = ["p", "g", "m", "v"].map((n) => g.input(n, "float64", [3]));
    const lr = g.input("lr", "float64", []);
    const step = g.input("step", "float64", []);
    const [u] = adamW(g, [{ param: p, grad: gr, m, v }], lr, step, { weightDecay: 0.01 });
    const feeds = { p: f64([0.5, -1, 2]), g: f64([0.1, -0.3, 0.02]), m: f64([0.01, 0.02, -0.03]), v: f64([1e-3, 2e-3, 5e-4]), lr: f64([0.01], []), step: f64([3], []) };
    const expected = adamwReference([0.5, -1, 2], [0.1, -0.3, 0.02], [0.01, 0.02, -0.03], [1e-3, 2e-3, 5e-4], 0.01, 3);
    const [ip, im, iv] = interpret(g, [u.param, u.m, u.v], feeds);
    expectClose(ip.data, expected.p, 1e-12, 1e-14, "param");
    expectClose(im.data, expected.m, 1e-12, 1e-14, "m");
    expectClose(iv.data, expected.v, 1e-12, 1e-14, "v");
    const run = await (await executor.compile(g, { p2: u.param, m2: u.m, v2: u.v })).run(feeds);
    expectClose(run.p2.data, expected.p, 1e-12, 1e-14, "ORT param");
  });
});

describe("clipByGlobalNorm", () => {
  it("scales every gradient by maxNorm / ‖g‖ when the norm is larger, and leaves it otherwise", () => {
    const g = new Graph();
    const a = g.input("a", "float64", [2]);
    const b = g.input("b", "float64", [1]);
    const { grads, norm } = clipByGlobalNorm(g, [a, b], 1);
    const big = interpret(g, [...grads, norm], { a: f64([3, 4]), b: f64([12]) });
    expect(big[2].data[0]).toBeCloseTo(13, 12);
    expectClose(big[0].data, [3 / 13, 4 / 13], 1e-6, 0, "clipped a");
    expectClose(big[1].data, [12 / 13], 1e-6, 0, "clipped b");
    const small = interpret(g, grads, { a: f64([0.3, 0.4]), b: f64([0]) });
    expectClose(small[0].data, [0.3, 0.4], 1e-15, 0, "unclipped a");
  });
});

describe("gradient accumulation", () => {
  it("two accumulated half-batches averaged equal the full-batch gradient of a mean loss", () => {
    const g = new Graph();
    const x = g.input("x", "float64", ["rows", 3]);
    const labels = g.input("labels", "int64", ["rows"]);
    const w = g.input("w", "float64", [3, 2]);
    const [gw] = grad(g, crossEntropy(g, tanh(g, linear(g, x, w)), labels), [w]);
    const acc = g.input("acc", "float64", [3, 2]);
    const [accNext] = accumulateGradients(g, [acc], [gw]);
    const [mean] = averageAccumulated(g, [acc], 2);
    const next = rng(5);
    const xs = draw(next, "float64", [4, 3]);
    const ys = { data: BigInt64Array.from([0n, 1n, 1n, 0n]), shape: [4] };
    const wv = draw(next, "float64", [3, 2]);
    const half = (k: number) => ({
      x: { data: (xs.data as Float64Array).slice(k * 6, k * 6 + 6), shape: [2, 3] },
      labels: { data: ys.data.slice(k * 2, k * 2 + 2), shape: [2] },
    });
    let accV: HostTensor = f64([0, 0, 0, 0, 0, 0], [3, 2]);
    for (const k of [0, 1]) accV = interpret(g, [accNext], { ...half(k), w: wv, acc: accV })[0];
    const averaged = interpret(g, [mean], { acc: accV })[0];
    const full = interpret(g, [gw], { x: xs, labels: ys, w: wv })[0];
    expectClose(averaged.data, full.data, 1e-12, 1e-15, "accumulated vs full batch");
  });
});

describe("trainStep", () => {
  it("one ORT run lowers the loss of a small classifier and feeds back under `.next` names", async () => {
    const g = new Graph();
    const x = g.input("x", "float32", [8, 4]);
    const labels = g.input("labels", "int64", [8]);
    const w = g.input("w", "float32", [4, 3]);
    const loss = crossEntropy(g, linear(g, x, w), labels);
    const step = trainStep(g, loss, [w], { maxGradNorm: 1, weightDecay: 0 });
    expect([...step.feedback]).toEqual([["w", "w.next"], ["w/m", "w/m.next"], ["w/v", "w/v.next"]]);
    const compiled = await executor.compile(g, step.outputs);
    const next = rng(9);
    const feeds: Record<string, HostTensor> = {
      x: draw(next, "float32", [8, 4]),
      labels: { data: BigInt64Array.from([0n, 1n, 2n, 0n, 1n, 2n, 0n, 1n]), shape: [8] },
      w: draw(next, "float32", [4, 3]),
      "w/m": { data: new Float32Array(12), shape: [4, 3] },
      "w/v": { data: new Float32Array(12), shape: [4, 3] },
      lr: { data: new Float32Array([0.05]), shape: [] },
    };
    const losses: number[] = [];
    for (let t = 1; t <= 20; t++) {
      const out = await compiled.run({ ...feeds, step: { data: new Float32Array([t]), shape: [] } });
      losses.push(Number(out.loss.data[0]));
      for (const [input, output] of step.feedback) feeds[input] = out[output];
    }
    expect(losses[19]).toBeLessThan(losses[0] - 0.1);
  });

  it("rejects a slice of a symbolic axis it cannot differentiate, naming the tensor", () => {
    const g = new Graph();
    const x = g.input("x", "float64", ["n"]);
    const y = reduceSum(g, mul(g, slice(g, x, [-2], [-1], [0]), 2));
    expect(() => grad(g, y, [x])).toThrow(/Slice gradient: axis 0 of x \[n\] is symbolic/);
  });
});
