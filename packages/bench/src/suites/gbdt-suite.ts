import { runGbdtBenchmark } from "@lora-litee/ensemble";
import { peakRssMiB } from "../machine.js";
import type { Suite } from "./suite.js";

export const gbdtSuite: Suite = {
  description: "histogram GBDT training on 57,477 rows × 40 features, 100 rounds, 3 classes (single thread)",
  async run({ quick }) {
    const r = runGbdtBenchmark(quick ? { rows: 2_000, rounds: 5 } : {});
    return {
      suite: "gbdt",
      cases: [
        {
          name: `gbdt ${r.rows}x${r.features} ${r.rounds} rounds`,
          metrics: { rowsPerSecond: r.rowsPerSecond, rowRoundsPerSecond: r.rowRoundsPerSecond, trainSeconds: r.trainSeconds, predictSeconds: r.predictSeconds },
          info: { trees: r.trees, finalTrainLoss: r.finalTrainLoss },
        },
      ],
      peakRssMiB: peakRssMiB(),
      notes: [],
    };
  },
};
