import { createReadStream } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { kFold, loadArena } from "@lora-litee/data";
import { describe, expect, it } from "vitest";
import { richFeatures } from "../features/rich-features.js";
import { logLoss } from "../metrics/log-loss.js";
import { pairRowsFromTable } from "../members/pair-rows-from-table.js";
import { GradientBoostedTrees } from "./booster.js";
import { takeRows } from "./training-data.js";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");
const arena = join(repoRoot, "..", "shared", "data", "arena", "train_dev.csv");

/**
 * scikit-learn 1.2.1 HistGradientBoostingClassifier, same features, folds and hyper-parameters, from
 * bench/sklearn_hgb_reference.py. The two learners bin and break ties differently, so the figures agree to a few
 * thousandths, not exactly.
 */
const SKLEARN_OOF_LOG_LOSS = { 50: 1.0569223909275816 };

describe("GBDT against scikit-learn on the real arena rows", () => {
  it("matches HistGradientBoostingClassifier's 5-fold out-of-fold log loss within 0.005", async () => {
    const { table } = await loadArena(createReadStream(arena), { fileName: arena });
    const rows = pairRowsFromTable(table);
    const x = richFeatures(rows);
    const labels = Uint8Array.from(rows, (r) => r.label as number);
    const splits = kFold(table, 5, { seed: 0, stratify: "label" });
    for (const [rounds, reference] of Object.entries(SKLEARN_OOF_LOG_LOSS)) {
      const oof = new Float64Array(rows.length * 3);
      for (const split of splits) {
        const train = Uint32Array.from(split.trainIndices);
        const test = Uint32Array.from(split.testIndices);
        const options = { maxRounds: Number(rounds), earlyStoppingRounds: 0, subsample: 1 };
        const model = GradientBoostedTrees.train(takeRows(x, train), Array.from(train, (i) => labels[i]), 3, options);
        const p = model.predictProba(takeRows(x, test));
        test.forEach((row, j) => oof.set(p.subarray(3 * j, 3 * j + 3), 3 * row));
      }
      expect(Math.abs(logLoss(oof, labels) - reference), `${rounds} rounds`).toBeLessThan(0.005);
    }
  });
});
