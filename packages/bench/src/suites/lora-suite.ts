import { benchLora } from "@lora-litee/lora";
import { peakRssMiB } from "../machine.js";
import { ortMatMulReference } from "./ort-matmul.js";
import type { Suite } from "./suite.js";

export const loraSuite: Suite = {
  description: "LoRA forward/backward on 4096×768 tokens×features (r 8/16/64) and a 4096×4096 r 64 merge, in GFLOP/s beside ORT MatMul",
  async run({ quick }) {
    const result = await benchLora({
      ...(quick ? { tokens: 128, features: 64, ranks: [8], mergeSize: 128, repeats: 1 } : {}),
      reference: ortMatMulReference(quick ? 1 : 3),
    });
    return {
      suite: "lora",
      cases: result.rows.map((row) => ({
        name: `${row.op} ${row.shape}`,
        metrics: { gflops: row.gflops, ms: row.ms, ...(row.referenceGflops === null ? {} : { referenceGflops: row.referenceGflops }) },
      })),
      peakRssMiB: peakRssMiB(),
      notes: result.reference ? [`reference: ${result.reference}`] : [],
    };
  },
};
