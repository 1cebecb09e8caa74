import { Executor, Graph, matMul } from "@lora-litee/backend";
import type { MatMulReference } from "@lora-litee/lora";

/**
 * onnxruntime-node's MatMul through our own graph and executor, with the right-hand matrix as an initializer (as
 * frozen weights are in training): the reference rate for the LoRA kernels on this machine.
 */
export function ortMatMulReference(repeats = 3): MatMulReference {
  return {
    name: "onnxruntime-node MatMul (cpu, weight as initializer)",
    async gflops(M, K, N) {
      const graph = new Graph();
      const x = graph.input("x", "float32", [M, K]);
      const w = graph.weight("w", "float32", [K, N], new Float32Array(K * N).fill(0.01));
      const executor = new Executor({ device: "cpu" });
      try {
        const compiled = await executor.compile(graph, { y: matMul(graph, x, w) });
        const feeds = { x: { data: new Float32Array(M * K).fill(0.5), shape: [M, K] } };
        await compiled.run(feeds);
        let best = Infinity;
        for (let i = 0; i < repeats; i++) {
          const start = performance.now();
          await compiled.run(feeds);
          best = Math.min(best, performance.now() - start);
        }
        return (2 * M * K * N) / (best * 1e6);
      } finally {
        await executor.release();
      }
    },
  };
}
