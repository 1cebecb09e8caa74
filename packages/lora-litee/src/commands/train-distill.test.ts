import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeFixture } from "@lora-litee/backend";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundledTokenizerDir } from "../assets-path.js";
import { runLitee } from "../testing/run-litee.js";

let dir: string;
const path = (name: string) => join(dir, name);
const ROWS = 24;

/** Arena rows whose labels all say A wins. */
function labelledCsv(): string {
  const cell = (text: string) => `"${JSON.stringify([text]).replaceAll('"', '""')}"`;
  const lines = ["id,model_a,model_b,prompt,response_a,response_b,winner_model_a,winner_model_b,winner_tie"];
  for (let i = 0; i < ROWS; i++) lines.push([100 + i, "m1", "m2", cell(`question ${i}`), cell(`answer ${i} one`), cell(`answer ${i} two`), 1, 0, 0].join(","));
  return `${lines.join("\n")}\n`;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "litee-distill-"));
  await writeFixture(path("model"), { tokenizerDir: bundledTokenizerDir(), hidden: 32, layers: 1, heads: 4, kvHeads: 2, intermediate: 64, seed: 0 });
  await writeFile(path("train.csv"), labelledCsv());
  // the teacher says B wins, whatever the labels say
  const teacher = ["id,winner_model_a,winner_model_b,winner_tie", ...Array.from({ length: ROWS }, (_, i) => `${100 + i},0.1,0.8,0.1`)];
  await writeFile(path("teacher.csv"), `${teacher.join("\n")}\n`);
  await writeFile(path("teacher-short.csv"), `${teacher.slice(0, 5).join("\n")}\n`);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const args = (out: string, teacher: string, weight: string) => ["train", "--model", path("model"), "--data", path("train.csv"), "--out", path(out), "--max-length", "32", "--rank", "4", "--lr", "2e-2", "--epochs", "4", "--warmup", "0", "--no-swap", "--teacher", path(teacher), "--distill-weight", weight];

describe("litee train --teacher", () => {
  it("trains toward the teacher's probabilities at weight 1", async () => {
    const train = await runLitee(...args("run", "teacher.csv", "1"));
    expect(train.code, train.stderr).toBe(0);
    const predict = await runLitee("predict", "--model", path("model"), "--adapter", path("run/adapter"), "--data", path("train.csv"), "--out", path("pred.csv"), "--max-length", "32");
    expect(predict.code, predict.stderr).toBe(0);
    const rows = (await readFile(path("pred.csv"), "utf8")).trim().split("\n").slice(1).map((line) => line.split(",").slice(1).map(Number));
    const meanB = rows.reduce((sum, row) => sum + row[1], 0) / rows.length;
    expect(meanB).toBeGreaterThan(0.6);
  }, 60_000);

  it("names the file and the ids a teacher file lacks, and refuses k-fold", async () => {
    const run = await runLitee(...args("run-short", "teacher-short.csv", "0.5"));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${path("teacher-short.csv")}: no teacher row for 20 id(s): "104"`);
    expect((await runLitee(...args("run-folds", "teacher.csv", "0.5"), "--folds", "2")).code).toBe(2);
  });
});
