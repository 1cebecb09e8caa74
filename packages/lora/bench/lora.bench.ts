/**
 * `pnpm --filter @lora-litee/lora bench`: prints one JSON object with LoRA forward/backward/merge GFLOP/s next to
 * onnxruntime-node's MatMul on the same products (weights as initializers, which ORT prepacks).
 * Until the CLI's `litee bench lora` exists, this is its runner; the body is benchLora() in src/benchmark.ts.
 */
import { cpus } from "node:os";
import onnxProto from "onnx-proto";
import * as ort from "onnxruntime-node";
import { benchLora, type MatMulReference } from "../src/index.js";

const { onnx } = onnxProto;
const threads = Math.min(2, cpus().length);

/** A one-node ONNX graph Y = X·W with W[K×N] stored as an initializer. */
function matmulModel(M: number, K: number, N: number): Uint8Array {
  const weight = new Float32Array(K * N).map((_, i) => Math.sin(i) * 0.05);
  const io = (name: string, dims: number[]) =>
    onnx.ValueInfoProto.create({
      name,
      type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: dims.map((d) => ({ dimValue: d })) } } },
    });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: "lora-litee-bench",
    opsetImport: [{ domain: "", version: 17 }],
    graph: {
      name: "matmul",
      node: [{ opType: "MatMul", input: ["X", "W"], output: ["Y"], name: "mm" }],
      initializer: [{ name: "W", dataType: onnx.TensorProto.DataType.FLOAT, dims: [K, N], rawData: new Uint8Array(weight.buffer) }],
      input: [io("X", [M, K])],
      output: [io("Y", [M, N])],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

function onnxruntimeReference(repeats: number): MatMulReference {
  const cache = new Map<string, number>();
  return {
    name: `onnxruntime-node ${ort.env.versions.node ?? "?"} MatMul, weight as initializer, ${threads} intra-op threads`,
    async gflops(M, K, N) {
      const key = `${M}x${K}x${N}`;
      const known = cache.get(key);
      if (known !== undefined) return known;
      const session = await ort.InferenceSession.create(matmulModel(M, K, N), {
        intraOpNumThreads: threads,
        graphOptimizationLevel: "all",
      });
      const X = new ort.Tensor("float32", new Float32Array(M * K).fill(0.5), [M, K]);
      await session.run({ X });
      let best = Infinity;
      for (let i = 0; i < repeats; i++) {
        const start = performance.now();
        await session.run({ X });
        best = Math.min(best, performance.now() - start);
      }
      await session.release();
      const rate = (2 * M * K * N) / (best * 1e6);
      cache.set(key, rate);
      return rate;
    },
  };
}

/** `--name=value` from the command line, e.g. `--repeats=5 --ranks=8,64 --tokens=512`. */
function flag(name: string): string | undefined {
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}
const num = (name: string) => (flag(name) === undefined ? undefined : Number(flag(name)));
const repeats = num("repeats") ?? 3;
const result = await benchLora({
  repeats,
  tokens: num("tokens"),
  features: num("features"),
  mergeSize: num("merge-size"),
  ranks: flag("ranks")?.split(",").map(Number),
  reference: onnxruntimeReference(repeats),
});
console.log(
  JSON.stringify(
    {
      ...result,
      environment: { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model ?? "?", loraThreads: 1, ortThreads: threads },
    },
    null,
    2,
  ),
);
