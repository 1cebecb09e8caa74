/**
 * Writes the rich features of the arena rows with their label and 5-fold id (stratified, seed 0) as CSV, so that
 * bench/sklearn_hgb_reference.py can fit scikit-learn's HistGradientBoostingClassifier on exactly the same task.
 * Run: pnpm --filter @lora-litee/ensemble export:rich-features -- <out.csv> [arena csv]
 */
import { createReadStream, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { kFold, loadArena } from "@lora-litee/data";
import { pairRowsFromTable, RICH_FEATURES, richFeatures } from "../src/index.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const args = process.argv.slice(2).filter((arg) => arg !== "--");
const out = args[0] ?? "rich-features.csv";
const path = args[1] ?? join(root, "..", "shared", "data", "arena", "train_dev.csv");

const { table } = await loadArena(createReadStream(path), { fileName: path });
const rows = pairRowsFromTable(table);
const fold = new Int32Array(rows.length);
kFold(table, 5, { seed: 0, stratify: "label" }).forEach((split, f) => split.testIndices.forEach((i) => (fold[i] = f)));
const x = richFeatures(rows);
const lines = [[...RICH_FEATURES.map((f) => f.name), "label", "fold"].join(",")];
rows.forEach((row, i) => lines.push([...x.data.subarray(i * x.cols, (i + 1) * x.cols), row.label, fold[i]].join(",")));
writeFileSync(out, `${lines.join("\n")}\n`);
console.log(JSON.stringify({ out, rows: rows.length, features: x.cols }));
