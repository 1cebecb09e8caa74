import { benchTrainStep } from "@lora-litee/backend";
import { peakRssMiB } from "../machine.js";
import type { Suite } from "./suite.js";

/** PyTorch 1.13 eager on this kind of 2-core machine, as the backend issue states it (untuned OpenBLAS). */
const TORCH_ISSUE_TOKENS_PER_SECOND = 727;

export const trainStepSuite: Suite = {
  description: "one LoRA training step (forward, loss, backward, AdamW) of a Llama-style stack: hidden 512, 4 layers, seq 256, batch 4, r 16",
  async run({ quick }) {
    const r = await benchTrainStep(quick ? { hidden: 64, layers: 1, heads: 4, ffn: 128, vocab: 512, seq: 32, batch: 2, steps: 2, warmup: 1 } : {});
    return {
      suite: "train-step",
      cases: [
        {
          name: quick ? "llama quick" : "llama h512 l4 s256 b4 r16",
          metrics: { tokensPerSecond: r.tokensPerSecond, msPerStep: r.msPerStep, compileMs: r.compileMs, peakRssMiB: r.peakRssMb },
          info: { device: r.device, graphNodes: r.graphNodes, firstLoss: r.firstLoss, lastLoss: r.lastLoss },
        },
      ],
      peakRssMiB: peakRssMiB(),
      notes: quick ? ["quick shapes: not comparable"] : [`ratio to PyTorch 1.13 at ${TORCH_ISSUE_TOKENS_PER_SECOND} tokens/s (issue figure): ${(r.tokensPerSecond / TORCH_ISSUE_TOKENS_PER_SECOND).toFixed(2)}×`],
    };
  },
};
