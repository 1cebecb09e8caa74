// @lora-litee/backend from its tarball: build a graph (log-softmax of logits), run it in onnxruntime-node on the
// CPU, and check the log loss it gives against float64 math. Proves the native runtime installs from npm.
import assert from "node:assert/strict";
import { Executor, Graph, logSoftmax } from "@lora-litee/backend";

const logits = [2, 0.5, -1, 0, 1, 3];
const graph = new Graph();
const x = graph.input("logits", "float32", [2, 3]);
const executor = new Executor({ device: "cpu", intraOpNumThreads: 1 });
const compiled = await executor.compile(graph, { logp: logSoftmax(graph, x) });
const { logp } = await compiled.run({ logits: { data: new Float32Array(logits), shape: [2, 3] } });
await executor.release();

const labels = [0, 2];
const reference = labels.reduce((sum, label, row) => {
  const z = logits.slice(row * 3, row * 3 + 3);
  const logSumExp = Math.log(z.reduce((s, v) => s + Math.exp(v), 0));
  return sum - (z[label] - logSumExp);
}, 0) / labels.length;
const logProbs = Float32Array.from(logp.data as Float32Array);
const loss = -(logProbs[0] + logProbs[3 + 2]) / 2;
assert.ok(Math.abs(loss - reference) < 1e-6, `log loss ${loss}, float64 reference ${reference}`);
console.log(`backend: onnxruntime-node CPU log loss ${loss.toFixed(6)} (float64 ${reference.toFixed(6)})`);
