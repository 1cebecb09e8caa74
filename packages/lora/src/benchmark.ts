/**
 * The body of `litee bench lora`: throughput of the LoRA forward, backward and merge kernels in GFLOP/s, each next
 * to a reference rate for the same matrix products (onnxruntime's MatMul, supplied by the caller so this package
 * needs no runtime dependency on it).
 */
import { loraBackward, loraForward, merge, unmerge } from "./linear.js";
import type { LinearWeights, LoraLayerWeights } from "./layer.js";
import { Rng } from "./rng.js";

/** A product C[M×N] = X[M×K]·Y[K×N] the reference runs. */
export type MatMulShape = readonly [M: number, K: number, N: number];

/** A reference matrix-product engine. */
export interface MatMulReference {
  /** Its name in the report, e.g. "onnxruntime-node 1.30 MatMul". */
  name: string;
  /** Best-of-repeats GFLOP/s of one M×K·K×N product. */
  gflops(M: number, K: number, N: number): Promise<number>;
}

/** Options of benchLora. */
export interface BenchLoraOptions {
  /** Rows of x (tokens). Defaults to `4096`. */
  tokens?: number;
  /** Features in and out of the benchmarked linear layer. Defaults to `768`. */
  features?: number;
  /** LoRA ranks to run. Defaults to `[8, 16, 64]`. */
  ranks?: readonly number[];
  /** Side of the square weight merged. Defaults to `4096`. */
  mergeSize?: number;
  /** Timed runs per measurement; the best is kept. Defaults to `3`. */
  repeats?: number;
  /** Reference engine for the same products, or null to skip. Defaults to `null`. */
  reference?: MatMulReference | null;
}

/** One measured operation. */
export interface BenchRow {
  /** "forward", "backward" or "merge". */
  op: string;
  /** Shape description, e.g. "4096x768 r=8". */
  shape: string;
  /** Rank. */
  r: number;
  /** Best wall time in milliseconds. */
  ms: number;
  /** Floating-point operations counted (2 per multiply-add of the matrix products). */
  flops: number;
  /** flops / best time, in GFLOP/s. */
  gflops: number;
  /** The reference engine's rate on the same products (flop-weighted), or null without a reference. */
  referenceGflops: number | null;
}

/** The report. */
export interface BenchLoraResult {
  /** Benchmark name. */
  benchmark: "lora";
  /** The reference engine's name, or null. */
  reference: string | null;
  /** Measurements. */
  rows: BenchRow[];
}

function random(rng: Rng, n: number, scale: number): Float32Array {
  return rng.fillUniform(new Float32Array(n), -scale, scale);
}

async function best(repeats: number, run: () => void): Promise<number> {
  run();
  let fastest = Infinity;
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    run();
    fastest = Math.min(fastest, performance.now() - start);
    // Yield so a host event loop (progress output, timers) is not starved between runs.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return fastest;
}

async function referenceRate(reference: MatMulReference | null, shapes: readonly MatMulShape[]): Promise<number | null> {
  if (reference === null) return null;
  let flops = 0;
  let seconds = 0;
  for (const [M, K, N] of shapes) {
    const f = 2 * M * K * N;
    flops += f;
    seconds += f / ((await reference.gflops(M, K, N)) * 1e9);
  }
  return flops / seconds / 1e9;
}

function row(op: string, shape: string, r: number, ms: number, shapes: readonly MatMulShape[], referenceGflops: number | null): BenchRow {
  const flops = shapes.reduce((sum, [M, K, N]) => sum + 2 * M * K * N, 0);
  return { op, shape, r, ms, flops, gflops: flops / (ms * 1e6), referenceGflops };
}

/** Runs the LoRA kernel benchmark and returns one JSON-ready report. */
export async function benchLora(options: BenchLoraOptions = {}): Promise<BenchLoraResult> {
  const T = options.tokens ?? 4096;
  const F = options.features ?? 768;
  const ranks = options.ranks ?? [8, 16, 64];
  const size = options.mergeSize ?? 4096;
  const repeats = options.repeats ?? 3;
  const reference = options.reference ?? null;
  const rng = new Rng(1234);
  const rows: BenchRow[] = [];
  const base: LinearWeights = { inFeatures: F, outFeatures: F, weight: random(rng, F * F, 0.05), bias: null };
  const x = random(rng, T * F, 1);
  const dY = random(rng, T * F, 1);
  // One untimed pass first: the kernel's memory growth and the JIT's tier-up belong to no row.
  const warm: LoraLayerWeights = { inFeatures: F, outFeatures: F, r: 8, A: random(rng, 8 * F, 0.05), B: random(rng, F * 8, 0.05), magnitude: null };
  loraBackward(base, warm, 2, loraForward(base, warm, 2, x, T).cache, dY);
  for (const r of ranks) {
    const lora: LoraLayerWeights = { inFeatures: F, outFeatures: F, r, A: random(rng, r * F, 0.05), B: random(rng, F * r, 0.05), magnitude: null };
    const fwdShapes: MatMulShape[] = [[T, F, F], [T, F, r], [T, r, F]];
    let cache = loraForward(base, lora, 2, x, T).cache;
    const fwd = await best(repeats, () => {
      cache = loraForward(base, lora, 2, x, T).cache;
    });
    rows.push(row("forward", `${T}x${F} r=${r}`, r, fwd, fwdShapes, await referenceRate(reference, fwdShapes)));
    const bwdShapes: MatMulShape[] = [[F, T, r], [T, F, r], [r, T, F], [T, F, F], [T, r, F]];
    const bwd = await best(repeats, () => loraBackward(base, lora, 2, cache, dY));
    rows.push(row("backward", `${T}x${F} r=${r}`, r, bwd, bwdShapes, await referenceRate(reference, bwdShapes)));
  }
  const W = random(rng, size * size, 0.05);
  for (const r of ranks) {
    const lora: LoraLayerWeights = { inFeatures: size, outFeatures: size, r, A: random(rng, r * size, 0.05), B: random(rng, size * r, 0.05), magnitude: null };
    const shapes: MatMulShape[] = [[size, r, size]];
    const ms = await best(repeats, () => {
      merge(W, lora, 2);
      unmerge(W, lora, 2);
    });
    // A merge/unmerge pair is two merges' worth of work; report per merge.
    rows.push(row("merge", `${size}x${size} r=${r}`, r, ms / 2, shapes, await referenceRate(reference, shapes)));
  }
  return { benchmark: "lora", reference: reference?.name ?? null, rows };
}
