/**
 * 5-fold cross-validation of the classical members and their ensembles on the real arena rows; prints one JSON
 * object with every out-of-fold log loss.
 * Run: pnpm --filter @lora-litee/ensemble bench:cv [-- <arena csv> [members comma-separated]]
 */
import { createReadStream } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { kFold, loadArena } from "@lora-litee/data";
import { crossValidate, MEMBER_KINDS, pairRowsFromTable, type MemberKind } from "../src/index.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
// pnpm forwards its own "--" separator; an empty path means the default file.
const args = process.argv.slice(2).filter((arg) => arg !== "--");
const path = args[0] || join(root, "..", "shared", "data", "arena", "train_dev.csv");
const members = (args[1]?.split(",") ?? MEMBER_KINDS) as MemberKind[];

const { table } = await loadArena(createReadStream(path), { fileName: path });
const folds = new Int32Array(table.numRows());
kFold(table, 5, { seed: 0, stratify: "label" }).forEach((split, f) => split.testIndices.forEach((i) => (folds[i] = f)));

const started = performance.now();
const result = crossValidate(pairRowsFromTable(table), folds, {
  members,
  strategies: ["mean", "logit-mean", "optimize", "stack", "temperature"],
  onFold: (member, fold, k) => process.stderr.write(`${member} fold ${fold + 1}/${k}\n`),
});
const round = (s: { name: string; logLoss: number; accuracy: number }) => ({ ...s, logLoss: +s.logLoss.toFixed(4), accuracy: +s.accuracy.toFixed(4) });
console.log(
  JSON.stringify(
    {
      benchmark: "cv-arena",
      file: path,
      rows: result.rows,
      folds: result.folds,
      node: process.version,
      seconds: +((performance.now() - started) / 1000).toFixed(1),
      prior: round(result.prior),
      members: result.members.map(round),
      ensembles: result.ensembles.map(round),
    },
    null,
    2,
  ),
);
