import { afterAll, describe, expect, it } from "vitest";
import { grad } from "../src/autodiff.js";
import { Executor } from "../src/executor.js";
import { Graph } from "../src/graph.js";
import { interpret } from "../src/interpreter.js";
import { dropout, dropoutSeed } from "../src/nn/dropout.js";
import { mul, reduceSum } from "../src/ops/index.js";

const executor = new Executor({ intraOpNumThreads: 1 });
afterAll(() => executor.release());

const [B, S, F] = [4, 64, 96];

/** A graph of `dropout(x)` for `x` `[4, 64, 96]` under two salts, and the gradient of Σ w ⊙ dropout(x) for salt 0. */
function build() {
  const g = new Graph();
  const x = g.input("x", "float32", ["batch", "seq", F]);
  const w = g.input("w", "float32", ["batch", "seq", F]);
  const inputs = { seed: g.input("lora_dropout_seed", "int64", []), rate: g.input("lora_dropout_rate", "float32", []) };
  const first = dropout(g, x, inputs, 0);
  const second = dropout(g, x, inputs, 1);
  const [dx] = grad(g, reduceSum(g, mul(g, first, w), [0, 1, 2]), [x]);
  return { g, first, second, dx };
}

async function masks(seed: number, rate: number, on = executor) {
  const { g, first, second, dx } = build();
  const compiled = await on.compile(g, { first, second, dx });
  const feeds = {
    x: { data: new Float32Array(B * S * F).fill(1), shape: [B, S, F] },
    w: { data: Float32Array.from({ length: B * S * F }, (_, i) => 1 + (i % 7)), shape: [B, S, F] },
    lora_dropout_seed: { data: BigInt64Array.of(BigInt(seed)), shape: [] },
    lora_dropout_rate: { data: Float32Array.of(rate), shape: [] },
  };
  const out = await compiled.run(feeds);
  return { feeds, first: out.first.data as Float32Array, second: out.second.data as Float32Array, dx: out.dx.data as Float32Array, graph: { g, first } };
}

const dropped = (mask: Float32Array) => mask.reduce((n, v) => n + Number(v === 0), 0) / mask.length;
const agreement = (a: Float32Array, b: Float32Array) => a.reduce((n, v, i) => n + Number((v === 0) === (b[i] === 0)), 0) / a.length;

/** Pearson correlation of the drop indicators of element pairs `offset` apart along `axis`-stride `stride`. */
function neighbourCorrelation(mask: Float32Array, stride: number, count: number): number {
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i + stride < mask.length && a.length < count; i++) {
    a.push(Number(mask[i] === 0));
    b.push(Number(mask[i + stride] === 0));
  }
  const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
  const [ma, mb] = [mean(a), mean(b)];
  let cov = 0;
  let va = 0;
  let vb = 0;
  a.forEach((v, i) => ((cov += (v - ma) * (b[i] - mb)), (va += (v - ma) ** 2), (vb += (b[i] - mb) ** 2)));
  return cov / Math.sqrt(va * vb);
}

describe("dropout", () => {
  it("drops the asked share, scales the rest by 1/(1 − p), and passes the same mask to the gradient", async () => {
    const { first, dx, feeds } = await masks(dropoutSeed(0, 0), 0.25);
    expect(Math.abs(dropped(first) - 0.25)).toBeLessThan(0.015); // binomial σ ≈ 0.003 on 24,576 draws
    expect(new Set(first)).toEqual(new Set([0, Math.fround(1 / 0.75)]));
    const w = feeds.w.data;
    for (let i = 0; i < dx.length; i++) expect(dx[i]).toBeCloseTo(first[i] * w[i], 5);
  });

  it("draws masks with no visible structure: neighbours along features, rows and salts are uncorrelated", async () => {
    const { first, second } = await masks(dropoutSeed(3, 17), 0.5);
    for (const stride of [1, 2, F, S * F]) expect(Math.abs(neighbourCorrelation(first, stride, 20000)), `stride ${stride}`).toBeLessThan(0.03);
    expect(Math.abs(agreement(first, second) - 0.5)).toBeLessThan(0.02);
    // at a low rate too, two salts on one x drop the same element about rate² of the time
    const low = await masks(dropoutSeed(3, 18), 0.1);
    const both = low.first.reduce((n, v, i) => n + Number(v === 0 && low.second[i] === 0), 0) / low.first.length;
    expect(Math.abs(both - 0.01)).toBeLessThan(0.003);
  });

  it("is a pure function of the seed: the same seed repeats the mask, another seed draws a new one", async () => {
    const a = await masks(dropoutSeed(1, 5), 0.5);
    const again = await masks(dropoutSeed(1, 5), 0.5);
    const next = await masks(dropoutSeed(1, 6), 0.5);
    expect(again.first).toEqual(a.first);
    expect(Math.abs(agreement(a.first, next.first) - 0.5)).toBeLessThan(0.02);
    expect(new Set([0, 1, 2, 3].map((i) => dropoutSeed(7, i))).size).toBe(4);
  });

  it("computes the same mask in onnxruntime and in the float64 interpreter (the int64 hash is exact in both)", async () => {
    const { first, feeds, graph } = await masks(dropoutSeed(2, 9), 0.3);
    const [reference] = interpret(graph.g, [graph.first], feeds);
    expect(Array.from(reference.data, (v) => v === 0)).toEqual(Array.from(first, (v) => v === 0));
  });

  it("draws the same masks on webgpu as on cpu (skipped where no WebGPU adapter exists)", async (ctx) => {
    if (!(await Executor.available("webgpu"))) ctx.skip();
    const webgpu = new Executor({ device: "webgpu" });
    try {
      const [gpu, cpu] = [await masks(dropoutSeed(4, 2), 0.3, webgpu), await masks(dropoutSeed(4, 2), 0.3)];
      expect(gpu.first).toEqual(cpu.first);
      expect(gpu.second).toEqual(cpu.second);
    } finally {
      await webgpu.release();
    }
  }, 180_000);

  it("keeps everything at rate 0 and takes rank-2 inputs", async () => {
    expect(dropped((await masks(11, 0)).first)).toBe(0);
    const g = new Graph();
    const x = g.input("x", "float32", ["batch", 8]);
    const y = dropout(g, x, { seed: g.input("seed", "int64", []), rate: g.input("rate", "float32", []) }, 0);
    const out = await (await executor.compile(g, { y })).run({
      x: { data: new Float32Array(4000 * 8).fill(1), shape: [4000, 8] },
      seed: { data: BigInt64Array.of(5n), shape: [] },
      rate: { data: Float32Array.of(0.1), shape: [] },
    });
    expect(Math.abs(dropped(out.y.data as Float32Array) - 0.1)).toBeLessThan(0.015);
  });
});
