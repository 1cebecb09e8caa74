import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { benchInfer, type BenchInferResult } from "@lora-litee/backend";
import { peakRssMiB } from "../machine.js";
import type { CaseResult } from "../result.js";
import type { Suite } from "./suite.js";
import { writeTinyTokenizer } from "./tiny-tokenizer.js";
import { TORCH_INFER_SCRIPT } from "./torch-infer-script.js";

/** Pythons tried in turn: the one on PATH (a venv), then Debian's, where `python3-torch` installs. */
const PYTHONS = ["python3", "/usr/bin/python3"];

/**
 * PyTorch's forward with OpenBLAS tuned for this CPU (no `OPENBLAS_CORETYPE` / `OPENBLAS_L2_SIZE` overrides) and
 * `blasThreads` GEMM threads: 1 is the setting the project's comparisons name; 2 is often faster for matmul-bound
 * shapes on two cores, so both run and the faster one is the reference.
 */
function torchReference(modelDir: string, seq: number, batch: number, threads: number, blasThreads: number): CaseResult | undefined {
  const { OPENBLAS_CORETYPE: _coretype, OPENBLAS_L2_SIZE: _l2, ...inherited } = process.env;
  const env = { ...inherited, OPENBLAS_NUM_THREADS: String(blasThreads) };
  for (const python of PYTHONS) {
    try {
      const args = ["-c", TORCH_INFER_SCRIPT, "--model", modelDir, "--seq", String(seq), "--batch", String(batch), "--threads", String(threads)];
      const out = JSON.parse(execFileSync(python, args, { encoding: "utf8", env, stdio: ["ignore", "pipe", "ignore"] }));
      return {
        name: `pytorch ${out.torch} eager, OpenBLAS ${blasThreads} thread${blasThreads > 1 ? "s" : ""}`,
        metrics: { tokensPerSecond: out.tokensPerSecond },
        info: { reference: true, threads: out.threads, blasThreads, python },
      };
    } catch {
      // no torch in this python: try the next
    }
  }
  return undefined;
}

export const inferSuite: Suite = {
  description: "batch prediction of a merged-LoRA export on plain onnxruntime (cpu): SmolLM2-135M shape, seq 512, batch 4; beside PyTorch eager when installed",
  async run({ quick }) {
    const dir = await mkdtemp(join(tmpdir(), "bench-infer-"));
    try {
      await writeTinyTokenizer(dir);
      const sizes = quick ? { hidden: 64, layers: 2, heads: 4, kvHeads: 2, intermediate: 128, vocabSize: 512, seq: 64, batchSize: 2, runs: 2 } : {};
      // the same thread count on both sides: torch defaults to physical cores, which is 1 on a 2-vCPU machine
      const threads = availableParallelism();
      const cases: CaseResult[] = [];
      let r: BenchInferResult | undefined;
      for (const quantize of [null, "int8"] as const) {
        // the second run reuses the fixture the first one wrote
        r = await benchInfer({ dir, tokenizerDir: dir, ...sizes, quantize, threads });
        cases.push({
          name: `${quick ? "llama quick" : "smollm2-135m s512 b4"}${quantize ? " int8" : ""}`,
          metrics: { tokensPerSecond: r.tokensPerSecond, batchMs: (r.tokensPerRun / r.tokensPerSecond) * 1000, exportMs: r.exportSeconds * 1000, sessionMs: r.sessionSeconds * 1000 },
          info: { device: "cpu", weights: quantize ?? "float32", threads, ...r.shape },
        });
      }
      const [fp32, int8] = cases;
      const references = quick ? [] : [1, threads].filter((n, i, all) => all.indexOf(n) === i).map((n) => torchReference(join(dir, "model"), r!.shape.seq, r!.shape.batchSize, threads, n));
      const measured = references.filter((c): c is CaseResult => c !== undefined);
      cases.push(...measured);
      const torch = measured.sort((a, b) => b.metrics.tokensPerSecond - a.metrics.tokensPerSecond)[0];
      const ratio = (c: CaseResult, to: CaseResult) => (c.metrics.tokensPerSecond / to.metrics.tokensPerSecond).toFixed(2);
      const notes = quick
        ? ["quick shapes: not comparable"]
        : torch
          ? [`ratio to the faster PyTorch eager (${torch.name}): float32 ${ratio(fp32, torch)}×, int8 ${ratio(int8, torch)}× (goal ≥ 2×)`]
          : [`int8 / float32: ${ratio(int8, fp32)}×`, `no PyTorch here (${PYTHONS.join(", ")} cannot import torch): run \`litee bench infer\` where it is installed`];
      return { suite: "infer", cases, peakRssMiB: peakRssMiB(), notes };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
