import { createReadStream } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { loadArena } from "@lora-litee/data";
import type { PairRow } from "../members/pair-row.js";
import { pairRowsFromTable } from "../members/pair-rows-from-table.js";
import type { LabelTable, PredictionTable } from "../predictions/prediction-table.js";
import { formatPredictionsCsv, parseLabelsCsv, parsePredictionsCsv } from "./prediction-csv.js";

/** Reads and checks a prediction file (Kaggle submission layout). */
export async function readPredictionsCsv(path: string): Promise<PredictionTable> {
  return parsePredictionsCsv(await readFile(path, "utf8"), path);
}

/** Reads true labels (one-hot winner columns) from a CSV such as the arena train file. */
export async function readLabelsCsv(path: string): Promise<LabelTable> {
  return parseLabelsCsv(await readFile(path, "utf8"), path);
}

/** Writes predictions in the Kaggle submission layout. */
export async function writePredictionsCsv(path: string, ids: readonly string[], probs: Float64Array): Promise<void> {
  await writeFile(path, formatPredictionsCsv(ids, probs));
}

/** Streams an arena CSV (train or test layout) through `@lora-litee/data`'s `loadArena` into member rows. */
export async function readArenaRows(path: string): Promise<PairRow[]> {
  const { table } = await loadArena(createReadStream(path), { fileName: path });
  return pairRowsFromTable(table);
}
