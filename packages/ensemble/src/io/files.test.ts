import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { readArenaRows, readLabelsCsv, readPredictionsCsv, writePredictionsCsv } from "./files.js";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");
const arena = join(repoRoot, "..", "shared", "data", "arena", "train_dev.csv");

describe("files", () => {
  const dirs: string[] = [];
  afterAll(async () => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

  it("writes and reads back a prediction file", async () => {
    const dir = await mkdtemp(join(tmpdir(), "ensemble-io-"));
    dirs.push(dir);
    const path = join(dir, "p.csv");
    const probs = Float64Array.from([0.5, 0.25, 0.25]);
    await writePredictionsCsv(path, ["x"], probs);
    const table = await readPredictionsCsv(path);
    expect(table.source).toBe(path);
    expect(table.probs).toEqual(probs);
  });

  it.skipIf(!existsSync(arena))("reads the real arena rows and their labels", async () => {
    const rows = await readArenaRows(arena);
    expect(rows).toHaveLength(1500);
    const counts = [0, 0, 0];
    for (const row of rows) counts[row.label ?? 0]++;
    expect(counts).toEqual([524, 512, 464]);
    const labels = await readLabelsCsv(arena);
    expect(labels.ids).toEqual(rows.map((row) => row.id));
    expect(Array.from(labels.labels)).toEqual(rows.map((row) => row.label));
  });
});
