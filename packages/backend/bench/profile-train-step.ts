// Per-op-type kernel time of one training step (ORT profiler), to see where a step goes.
import { readdirSync, readFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import { Graph } from "../src/graph.js";
import { llamaStack, llamaTrainableShapes, seededWeights } from "../src/nn/llama-stack.js";
import { crossEntropy } from "../src/nn/loss.js";
import { trainStep } from "../src/optim/train-step.js";
import { serializeGraph } from "../src/onnx/serialize.js";

const layers = Number(process.argv[2] ?? 1);
const c = { vocab: 32000, hidden: 512, layers, heads: 8, ffn: 1376, classes: 3, rank: 16, alpha: 32, maxSeq: 256, dtype: "float32" as const, eps: 1e-6, ropeTheta: 10000 };
const g = new Graph();
const ids = g.input("input_ids", "int64", ["batch", "seq"]);
const labels = g.input("labels", "int64", ["batch"]);
const stack = llamaStack(g, c, ids, seededWeights("float32", 1));
const step = trainStep(g, crossEntropy(g, stack.logits, labels), stack.trainable);
const model = serializeGraph(g, { outputs: step.outputs });
const dir = mkdtempSync(join(tmpdir(), "prof-"));
const session = await ort.InferenceSession.create(model.model, { intraOpNumThreads: 2, graphOptimizationLevel: "all", enableProfiling: true, profileFilePrefix: join(dir, "p"), ...(process.env.OPT_MODEL ? { optimizedModelFilePath: process.env.OPT_MODEL } : {}) });
const feeds: Record<string, ort.Tensor> = {
  input_ids: new ort.Tensor("int64", BigInt64Array.from({ length: 1024 }, (_, i) => BigInt(i % 32000)), [4, 256]),
  labels: new ort.Tensor("int64", BigInt64Array.from([0n, 1n, 2n, 0n]), [4]),
  lr: new ort.Tensor("float32", new Float32Array([1e-4]), []),
  step: new ort.Tensor("float32", new Float32Array([1]), []),
};
for (const { name, shape } of llamaTrainableShapes(c)) {
  for (const n of [name, `${name}/m`, `${name}/v`]) feeds[n] = new ort.Tensor("float32", Float32Array.from({ length: shape[0] * shape[1] }, () => Math.random() * 0.01), shape);
}
for (let i = 0; i < 3; i++) {
  const t = performance.now();
  await session.run(feeds);
  console.log("step ms", performance.now() - t, "cpu user s", process.cpuUsage().user / 1e6);
}
session.endProfiling();
const file = readdirSync(dir).find((f) => f.endsWith(".json")) as string;
const events = JSON.parse(readFileSync(join(dir, file), "utf8")) as { cat: string; name: string; dur: number; args?: { op_name?: string; output_type_shape?: unknown } }[];
const byOp = new Map<string, number>();
const byNode = new Map<string, number>();
for (const e of events) {
  if (e.cat !== "Node" || !e.name.endsWith("_kernel_time")) continue;
  const op = e.args?.op_name ?? "?";
  byOp.set(op, (byOp.get(op) ?? 0) + e.dur / 3);
  byNode.set(e.name, (byNode.get(e.name) ?? 0) + e.dur / 3);
}
console.log([...byOp].sort((a, b) => b[1] - a[1]).slice(0, 20).map(([k, v]) => `${k}: ${(v / 1000).toFixed(1)} ms`).join("\n"));
const top = (filter: (name: string) => boolean, n: number) =>
  [...byNode].filter(([k]) => filter(k)).sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `${k}: ${(v / 1000).toFixed(2)} ms`).join("\n");
console.log(top(() => true, 25));
console.log("-- elementwise");
console.log(top((k) => /\/(Mul|Add|Sub|Div)(_\d+)?_kernel_time$/.test(k), 30));
