// @lora-litee/ensemble from its tarball: average two prediction files (Kaggle submission layout) and score the
// mean with the Kaggle log loss, against values computed by hand.
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { alignPredictions, logLoss, MeanStrategy } from "@lora-litee/ensemble";
import { readPredictionsCsv } from "@lora-litee/ensemble/node";

const dir = mkdtempSync(join(tmpdir(), "ensemble-call-"));
const header = "id,winner_model_a,winner_model_b,winner_tie";
writeFileSync(join(dir, "m1.csv"), `${header}\n1,0.6,0.2,0.2\n2,0.1,0.7,0.2\n`);
writeFileSync(join(dir, "m2.csv"), `${header}\n2,0.3,0.5,0.2\n1,0.8,0.1,0.1\n`);
const tables = [await readPredictionsCsv(join(dir, "m1.csv")), await readPredictionsCsv(join(dir, "m2.csv"))];
const { ids, members } = alignPredictions(tables);
const mean = new MeanStrategy().predict(members);
const expected = ids[0] === "1" ? [0.7, 0.15, 0.15, 0.2, 0.6, 0.2] : [0.2, 0.6, 0.2, 0.7, 0.15, 0.15];
expected.forEach((p, i) => assert.ok(Math.abs(mean[i] - p) < 1e-12, `mean[${i}] = ${mean[i]}, expected ${p}`));
const labels = ids.map((id) => (id === "1" ? 0 : 1));
const loss = logLoss(mean, labels);
assert.ok(Math.abs(loss - -(Math.log(0.7) + Math.log(0.6)) / 2) < 1e-12);
console.log(`ensemble: mean of 2 prediction files over ${ids.length} rows, log loss ${loss.toFixed(6)}`);
