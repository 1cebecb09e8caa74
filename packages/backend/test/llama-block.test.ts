import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { grad } from "../src/autodiff.js";
import type { DType } from "../src/dtype.js";
import { Executor, type Device } from "../src/executor.js";
import { Graph } from "../src/graph.js";
import type { Feeds, HostTensor } from "../src/host-tensor.js";
import { interpret } from "../src/interpreter.js";
import { crossEntropy } from "../src/nn/loss.js";
import { llamaStack, llamaTrainableShapes, seededWeights, type LlamaStackConfig } from "../src/nn/llama-stack.js";
import { draw, expectClose, rng } from "./helpers.js";

const config = (dtype: DType): LlamaStackConfig => ({
  vocab: 11, hidden: 8, layers: 2, heads: 2, ffn: 12, classes: 3, rank: 2, alpha: 4, maxSeq: 8, dtype, eps: 1e-6, ropeTheta: 10000,
});
const batch = 2;
const seq = 5;

function build(dtype: DType) {
  const g = new Graph();
  const c = config(dtype);
  const ids = g.input("input_ids", "int64", ["batch", "seq"]);
  const labels = g.input("labels", "int64", ["batch"]);
  const stack = llamaStack(g, c, ids, seededWeights(dtype, 3));
  const loss = crossEntropy(g, stack.logits, labels);
  const grads = grad(g, loss, stack.trainable);
  const next = rng(11);
  const feeds: Record<string, HostTensor> = {
    input_ids: draw(next, "int64", [batch, seq], { kind: "int", max: c.vocab }),
    labels: draw(next, "int64", [batch], { kind: "int", max: c.classes }),
  };
  // B is random (not PEFT's zeros) so that every A gets a non-zero gradient to check.
  for (const { name, shape } of llamaTrainableShapes(c)) feeds[name] = draw(next, dtype, shape, { kind: "normal", scale: 0.5 });
  return { g, stack, loss, grads, feeds };
}

describe("Llama-style block (RMSNorm, RoPE, causal attention, SwiGLU, LoRA q/k/v/o)", () => {
  it("gradients of every trainable match central finite differences (float64 interpreter)", () => {
    const { g, stack, loss, grads, feeds } = build("float64");
    const analytic = interpret(g, grads, feeds);
    const lossAt = (f: Feeds) => interpret(g, [loss], f)[0].data[0];
    stack.trainable.forEach((t, k) => {
      const base = feeds[t.name].data as Float64Array;
      // Every element of small tensors, a stride through larger ones: all code paths, bounded time.
      const stride = base.length > 16 ? 7 : 1;
      for (let i = 0; i < base.length; i += stride) {
        const at = (d: number) => {
          const data = Float64Array.from(base);
          data[i] += d;
          return lossAt({ ...feeds, [t.name]: { data, shape: feeds[t.name].shape } });
        };
        const fd = (at(1e-6) - at(-1e-6)) / 2e-6;
        expectClose([analytic[k].data[i]], [fd], 1e-5, 1e-8, `${t.name}[${i}]`);
      }
    });
  });

  it("adds no weight-gradient products for frozen weights", () => {
    const { g, grads } = build("float64");
    const frozenShapes = g.initializers.filter((i) => i.kind === "weight" && i.tensor.shape.length === 2).map((i) => i.tensor.shape.join("x"));
    const backward = g.nodes.filter((n) => n.name.startsWith("grad/") && (n.op === "MatMul" || n.op === "Gemm" || n.op === "ScatterAdd"));
    expect(backward.length).toBeGreaterThan(0);
    const offenders = backward.filter((n) => frozenShapes.includes(n.output.shape.join("x")));
    expect(offenders.map((n) => n.name)).toEqual([]);
    expect(grads.length).toBe(llamaTrainableShapes(config("float64")).length);
  });

  it("ORT cpu float64 equals the interpreter (forward and backward) and its own finite differences", async () => {
    const { g, stack, loss, grads, feeds } = build("float64");
    const executor = new Executor({ device: "cpu", intraOpNumThreads: 1 });
    const outputs = Object.fromEntries([["logits", stack.logits], ["loss", loss], ...grads.map((t, k) => [`g${k}`, t])]);
    const run = await (await executor.compile(g, outputs)).run(feeds);
    const expected = interpret(g, [stack.logits, loss, ...grads], feeds);
    expectClose(run.logits.data, expected[0].data, 1e-9, 1e-12, "logits");
    expectClose(run.loss.data, expected[1].data, 1e-9, 1e-12, "loss");
    grads.forEach((_, k) => expectClose(run[`g${k}`].data, expected[k + 2].data, 1e-8, 1e-11, `grad ${stack.trainable[k].name}`));
    // And ORT's gradients against finite differences of ORT's own float64 loss. Basic optimization only: at "all",
    // ORT 1.30 fuses the forward-only SiLU into QuickGelu, which has no float64 kernel.
    const basic = new Executor({ device: "cpu", intraOpNumThreads: 1, graphOptimizationLevel: "basic" });
    const lossOnly = await basic.compile(g, { loss });
    const lossAt = async (f: Feeds) => Number((await lossOnly.run(f)).loss.data[0]);
    for (const [k, t] of stack.trainable.entries()) {
      const base = feeds[t.name].data as Float64Array;
      for (let i = 0; i < base.length; i += base.length > 16 ? 7 : 1) {
        const at = (d: number) => {
          const data = Float64Array.from(base);
          data[i] += d;
          return lossAt({ ...feeds, [t.name]: { data, shape: feeds[t.name].shape } });
        };
        const fd = ((await at(1e-6)) - (await at(-1e-6))) / 2e-6;
        expectClose([run[`g${k}`].data[i]], [fd], 1e-5, 1e-8, `ORT ${t.name}[${i}] vs ORT finite differences`);
      }
    }
    await basic.release();
    await executor.release();
  });
});

const devices: Device[] = ["cpu", "webgpu"];
const availability = new Map<Device, boolean>();
beforeAll(async () => {
  for (const d of devices) availability.set(d, await Executor.available(d));
});

describe.each(devices)("Llama-style block float32 on %s (skipped where the device has no adapter)", (device) => {
  const executor = new Executor({ device, intraOpNumThreads: 1, profile: true });
  afterAll(() => executor.release());

  it("forward and backward equal the float64 interpreter to float32 tolerance", async (ctx) => {
    if (!availability.get(device)) ctx.skip();
    const { g, stack, loss, grads, feeds } = build("float32");
    const outputs = Object.fromEntries([["logits", stack.logits], ["loss", loss], ...grads.map((t, k) => [`g${k}`, t])]);
    const compiled = await executor.compile(g, outputs);
    const run = await compiled.run(feeds);
    const expected = interpret(g, [stack.logits, loss, ...grads], feeds);
    const provider = { cpu: "CPUExecutionProvider", webgpu: "WebGpuExecutionProvider", cuda: "CUDAExecutionProvider" }[device];
    const placements = compiled.placements();
    expect(placements.get("layer0/attn/Softmax")).toBe(provider);
    expect(placements.get("grad/layer0/attn/Softmax/Mul")).toBe(provider);
    expect(new Set(placements.values())).toContain(provider);
    expectClose(run.logits.data, expected[0].data, 1e-4, 1e-5, `${device} logits`);
    expectClose(run.loss.data, expected[1].data, 1e-4, 1e-5, `${device} loss`);
    grads.forEach((_, k) => expectClose(run[`g${k}`].data, expected[k + 2].data, 1e-3, 1e-5, `${device} grad ${stack.trainable[k].name}`));
  }, 180_000);
});
