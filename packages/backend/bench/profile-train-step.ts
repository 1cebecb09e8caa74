// Per-op-type kernel time of one training step (ORT profiler), to see where a step goes.
// `pnpm --filter @lora-litee/backend bench:profile [--layers=2 --hidden=576 --heads=9 --ffn=1536 --vocab=49152 --seq=512 --batch=4 --runs=3]`
// Defaults are the 4-layer config with one layer; every op is split into forward / backward / optimizer time.
import { readdirSync, readFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import { Graph } from "../src/graph.js";
import { llamaStack, llamaTrainableShapes, seededWeights } from "../src/nn/llama-stack.js";
import { crossEntropy } from "../src/nn/loss.js";
import { trainStep } from "../src/optim/train-step.js";
import { serializeGraph } from "../src/onnx/serialize.js";

const arg: Record<string, number> = { layers: 1, hidden: 512, heads: 8, ffn: 1376, vocab: 32000, seq: 256, batch: 4, runs: 3, threads: 2 };
for (const a of process.argv.slice(2)) {
  const m = /^--(\w+)=(.+)$/.exec(a);
  if (m) arg[m[1]] = Number(m[2]);
  else if (/^\d+$/.test(a)) arg.layers = Number(a);
}
const c = { vocab: arg.vocab, hidden: arg.hidden, layers: arg.layers, heads: arg.heads, ffn: arg.ffn, classes: 3, rank: 16, alpha: 32, maxSeq: arg.seq, dtype: "float32" as const, eps: 1e-6, ropeTheta: 10000 };
const g = new Graph();
const ids = g.input("input_ids", "int64", ["batch", "seq"]);
const labels = g.input("labels", "int64", ["batch"]);
const stack = llamaStack(g, c, ids, seededWeights("float32", 1));
const step = trainStep(g, crossEntropy(g, stack.logits, labels), stack.trainable);
const model = serializeGraph(g, { outputs: step.outputs });
const dir = mkdtempSync(join(tmpdir(), "prof-"));
const session = await ort.InferenceSession.create(model.model, {
  intraOpNumThreads: arg.threads,
  graphOptimizationLevel: "all",
  enableProfiling: true,
  profileFilePrefix: join(dir, "p"),
  ...(process.env.OPT_MODEL ? { optimizedModelFilePath: process.env.OPT_MODEL } : {}),
  // e.g. ORT_EXTRA='{"session":{"set_denormal_as_zero":"1"}}' to try a session config entry.
  ...(process.env.ORT_EXTRA ? { extra: JSON.parse(process.env.ORT_EXTRA) as Record<string, unknown> } : {}),
});
const tokens = arg.batch * arg.seq;
const feeds: Record<string, ort.Tensor> = {
  input_ids: new ort.Tensor("int64", BigInt64Array.from({ length: tokens }, (_, i) => BigInt((i * 7919) % arg.vocab)), [arg.batch, arg.seq]),
  labels: new ort.Tensor("int64", BigInt64Array.from({ length: arg.batch }, (_, i) => BigInt(i % 3)), [arg.batch]),
  lr: new ort.Tensor("float32", new Float32Array([1e-4]), []),
  step: new ort.Tensor("float32", new Float32Array([1]), []),
};
for (const { name, shape } of llamaTrainableShapes(c)) {
  for (const n of [name, `${name}/m`, `${name}/v`]) feeds[n] = new ort.Tensor("float32", Float32Array.from({ length: shape[0] * shape[1] }, () => Math.random() * 0.01), shape);
}
const runs = arg.runs;
const wall: number[] = [];
for (let i = 0; i < runs; i++) {
  const t = performance.now();
  await session.run(feeds);
  wall.push(performance.now() - t);
}
console.log(`step ms: ${wall.map((w) => w.toFixed(0)).join(", ")} (${c.layers} layers, ${tokens} tokens)`);
session.endProfiling();
const file = readdirSync(dir).find((f) => f.endsWith(".json")) as string;
const events = JSON.parse(readFileSync(join(dir, file), "utf8")) as { cat: string; name: string; dur: number; args?: { op_name?: string } }[];
const phase = (name: string) => (/(^|\/)(adamw|clip)\//.test(name) ? "optim" : /(^|\/)grad\//.test(name) ? "backward" : "forward");
const byOp = new Map<string, number>();
const byPhase = new Map<string, number>();
const byNode = new Map<string, number>();
let total = 0;
for (const e of events) {
  if (e.cat !== "Node" || !e.name.endsWith("_kernel_time")) continue;
  const op = e.args?.op_name ?? "?";
  const key = `${phase(e.name)} ${op}`;
  const ms = e.dur / runs / 1000;
  total += ms;
  byOp.set(key, (byOp.get(key) ?? 0) + ms);
  byPhase.set(phase(e.name), (byPhase.get(phase(e.name)) ?? 0) + ms);
  byNode.set(e.name, (byNode.get(e.name) ?? 0) + ms);
}
const fmt = (entries: [string, number][], n: number) => entries.sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `  ${k}: ${v.toFixed(1)} ms (${((100 * v) / total).toFixed(1)} %)`).join("\n");
console.log(`kernel time per step: ${total.toFixed(0)} ms`);
console.log(fmt([...byPhase], 5));
console.log("-- by phase and op");
console.log(fmt([...byOp], 30));
console.log("-- by node");
console.log(fmt([...byNode], Number(process.env.TOP ?? 40)));
