import onnxProto from "onnx-proto";
import { afterAll, describe, expect, it } from "vitest";
import { ExecutionError, FeedError, ShapeError } from "../src/errors.js";
import { Executor } from "../src/executor.js";
import { Graph } from "../src/graph.js";
import { interpret } from "../src/interpreter.js";
import { serializeGraph } from "../src/onnx/serialize.js";
import { add, erf, gather, matMul, mul, reduceSum, sigmoid, tanh } from "../src/ops/index.js";
import { draw, expectClose, rng } from "./helpers.js";

const { onnx } = onnxProto;
const executor = new Executor({ device: "cpu", intraOpNumThreads: 1 });
afterAll(() => executor.release());

describe("shape inference errors", () => {
  it("name the op, the node, both inputs and their shapes", () => {
    const g = new Graph();
    const x = g.input("x", "float32", ["batch", 4]);
    const w = g.input("w", "float32", [5, 3]);
    expect(() => g.scope("layer0/q_proj", () => matMul(g, x, w))).toThrow(
      new ShapeError("MatMul node 'layer0/q_proj/MatMul' (inputs x [batch, 4], w [5, 3]): inner dims differ (4 vs 5)"),
    );
    expect(() => add(g, x, g.input("b", "float32", [3]))).toThrow(/Add node 'Add' \(inputs x \[batch, 4\], b \[3\]\): shapes \[batch, 4\] and \[3\] do not broadcast/);
  });
});

describe("Executor", () => {
  it("surfaces ORT's run-time failure as an ExecutionError naming our node", async () => {
    const g = new Graph();
    const table = g.weight("table", "float32", [5, 2], new Float32Array(10));
    const ids = g.input("ids", "int64", [3]);
    const out = g.scope("embed", () => gather(g, table, ids));
    const compiled = await executor.compile(g, { out });
    const err = await compiled.run({ ids: { data: BigInt64Array.from([0n, 9n, 1n]), shape: [3] } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExecutionError);
    expect((err as ExecutionError).node).toBe("embed/Gather");
    expect((err as ExecutionError).message).toMatch(/run on cpu at node 'embed\/Gather'/);
  });

  it("names the node when ORT cannot create the session (no float64 Erf kernel)", async () => {
    const g = new Graph();
    const x = g.input("x", "float64", [2]);
    const y = g.scope("mlp/gelu", () => erf(g, x));
    const err = await executor.compile(g, { y }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExecutionError);
    expect((err as ExecutionError).node).toBe("mlp/gelu/Erf");
    expect((err as ExecutionError).message).toMatch(/^session creation on cpu at node 'mlp\/gelu\/Erf': .*Could not find an implementation for Erf/);
  });

  it("maps an ORT-fused node in a load error back to our node (float64 SiLU fused into QuickGelu)", async () => {
    const g = new Graph();
    const x = g.input("x", "float64", [2]);
    const y = g.scope("mlp", () => mul(g, x, sigmoid(g, x)));
    const err = await executor.compile(g, { y }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExecutionError);
    expect((err as ExecutionError).node).toBe("mlp/Mul");
  });

  it("checks feeds against the graph inputs, named dims included", async () => {
    const g = new Graph();
    const a = g.input("a", "float32", ["n", 2]);
    const b = g.input("b", "float32", ["n", 2]);
    const compiled = await executor.compile(g, { y: add(g, a, b) });
    const t = (n: number) => ({ data: new Float32Array(n * 2), shape: [n, 2] });
    await expect(compiled.run({ a: t(2), b: t(3) })).rejects.toThrow(new FeedError("input 'b': dim 0 ('n') mismatch; expected float32 [n, 2], got float32 [3, 2]"));
    await expect(compiled.run({ a: t(2) })).rejects.toThrow(/input 'b': no feed given/);
    await expect(compiled.run({ a: t(2), b: { data: new Float64Array(4), shape: [2, 2] } })).rejects.toThrow(/input 'b': wrong dtype/);
  });

  it("reuses the session for the same graph and outputs", async () => {
    const g = new Graph();
    const x = g.input("x", "float32", [2]);
    const y = tanh(g, x);
    expect(await executor.compile(g, { y })).toBe(await executor.compile(g, { y }));
  });

  it("reports the execution provider of each node from ORT's profile", async () => {
    const profiled = new Executor({ device: "cpu", profile: true, intraOpNumThreads: 1 });
    const g = new Graph();
    const x = g.input("x", "float32", [2, 3]);
    const y = g.scope("block", () => reduceSum(g, tanh(g, x), [1]));
    const compiled = await profiled.compile(g, { y });
    await compiled.run({ x: { data: new Float32Array(6), shape: [2, 3] } });
    const placements = compiled.placements();
    expect(placements.get("block/ReduceSum")).toBe("CPUExecutionProvider");
    expect(placements.get("block/Tanh")).toBe("CPUExecutionProvider");
    await profiled.release();
  });
});

describe("ONNX serialization", () => {
  function weightGraph() {
    const g = new Graph();
    const next = rng(3);
    const w = g.weight("layer0/w", "float32", [64, 32], draw(next, "float32", [64, 32]).data);
    const x = g.input("x", "float32", ["batch", 64]);
    const y = tanh(g, matMul(g, x, w));
    return { g, y, x: draw(next, "float32", [3, 64]) };
  }

  it("writes IR 8 / opset 17 with large weights in an external data file (location, offset, length)", () => {
    const { g, y } = weightGraph();
    const model = serializeGraph(g, { outputs: { y }, externalDataLocation: "weights.bin", externalThresholdBytes: 1024 });
    const decoded = onnx.ModelProto.decode(model.model);
    expect(Number(decoded.irVersion)).toBe(8);
    expect(Number(decoded.opsetImport[0].version)).toBe(17);
    const w = decoded.graph?.initializer?.find((t) => t.name === "layer0/w");
    expect(w?.dataLocation).toBe(onnx.TensorProto.DataLocation.EXTERNAL);
    const entries = Object.fromEntries((w?.externalData ?? []).map((e) => [e.key, e.value]));
    expect(entries).toEqual({ location: "weights.bin", offset: "0", length: String(64 * 32 * 4) });
    expect(model.externalData?.byteLength).toBe(64 * 32 * 4);
    expect(model.externalData?.parts.reduce((n, p) => n + p.byteLength, 0)).toBe(64 * 32 * 4);
  });

  it("a model with external weights loads from disk in ORT and equals the interpreter", async () => {
    const { g, y, x } = weightGraph();
    const external = new Executor({ device: "cpu", externalThresholdBytes: 1024, intraOpNumThreads: 1 });
    const run = await (await external.compile(g, { y })).run({ x });
    expectClose(run.y.data, interpret(g, [y], { x })[0].data, 1e-5, 1e-6, "external-data model");
    await external.release();
  });
});
