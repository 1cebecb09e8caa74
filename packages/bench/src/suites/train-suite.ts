import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { benchTrain } from "@lora-litee/backend";
import { peakRssMiB } from "../machine.js";
import type { Suite } from "./suite.js";
import { writeTinyTokenizer } from "./tiny-tokenizer.js";

/** SmolLM2-135M's vocabulary: the fixture's embedding table is as large as the real model's. */
const SMOLLM2_VOCAB = 49_152;

export const trainSuite: Suite = {
  description: "LoRA training (all linears, r 16) with trainLora on a SmolLM2-135M-shaped fixture (hidden 576, 30 layers, 9/3 heads), seq 512, batch 4, cpu",
  async run({ quick }) {
    const dir = await mkdtemp(join(tmpdir(), "bench-train-"));
    try {
      await writeTinyTokenizer(dir);
      const sizes = quick
        ? { hidden: 32, layers: 1, heads: 4, kvHeads: 2, intermediate: 64, seq: 32, batchSize: 2, steps: 1, vocabSize: 512 }
        : { vocabSize: SMOLLM2_VOCAB };
      const r = await benchTrain({ dir, tokenizerDir: dir, ...sizes });
      return {
        suite: "train",
        cases: [
          {
            name: quick ? "llama quick" : "smollm2-135m s512 b4 r16",
            metrics: { tokensPerSecond: r.tokensPerSecond, setupSeconds: r.setupSeconds, medianStepSeconds: r.tokensPerStep / r.tokensPerSecond },
            info: { ...r.shape, device: "cpu" },
          },
        ],
        peakRssMiB: peakRssMiB(),
        notes: quick ? ["quick shapes: not comparable"] : ["PyTorch comparison: packages/backend/bench/train_step_torch.py runs the train-step shapes; see docs/benchmarks.md"],
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
