import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runLitee } from "../testing/run-litee.js";

let dir: string;
const path = (name: string) => join(dir, name);
const HEADER = "id,winner_model_a,winner_model_b,winner_tie";

/** An arena train CSV where the longer answer wins (ties when lengths are close). */
function arenaCsv(rows: number, offset: number): string {
  const lines = ["id,model_a,model_b,prompt,response_a,response_b,winner_model_a,winner_model_b,winner_tie"];
  const cell = (turns: string[]) => `"${JSON.stringify(turns).replaceAll('"', '""')}"`;
  for (let i = 0; i < rows; i++) {
    const a = 3 + ((i * 7) % 40);
    const b = 3 + ((i * 13 + 5) % 40);
    const winner = a - b > 4 ? [1, 0, 0] : b - a > 4 ? [0, 1, 0] : [0, 0, 1];
    lines.push([offset + i, "m1", "m2", cell([`question ${i}`]), cell(["word ".repeat(a)]), cell(["word ".repeat(b)]), ...winner].join(","));
  }
  return `${lines.join("\n")}\n`;
}

const run = runLitee;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "litee-ensemble-"));
  await writeFile(path("train.csv"), arenaCsv(120, 0));
  await writeFile(path("test.csv"), arenaCsv(30, 1000));
  await writeFile(path("a.csv"), `${HEADER}\n1,0.6,0.2,0.2\n2,0.1,0.8,0.1\n3,0.3,0.3,0.4\n`);
  await writeFile(path("b.csv"), `${HEADER}\n3,0.2,0.2,0.6\n1,0.4,0.4,0.2\n2,0.3,0.5,0.2\n`);
  await writeFile(path("labels.csv"), `${HEADER}\n1,1,0,0\n2,0,1,0\n3,0,0,1\n`);
});

afterAll(async () => rm(dir, { recursive: true, force: true }));

describe("litee baseline", () => {
  it.each(["length", "tfidf", "gbdt", "rich-lr"])("--kind %s trains, predicts and saves", async (kind) => {
    const result = await run("baseline", "--kind", kind, "--train", path("train.csv"), "--predict", path("test.csv"), "--out", path(`${kind}.csv`), "--save", path(`${kind}.json`));
    expect(result).toMatchObject({ code: 0, stderr: "" });
    const lines = (await readFile(path(`${kind}.csv`), "utf8")).trim().split("\n");
    expect(lines[0]).toBe(HEADER);
    expect(lines).toHaveLength(31);
    expect(lines[1].startsWith("1000,")).toBe(true);
    expect(JSON.parse(await readFile(path(`${kind}.json`), "utf8")).kind).toBe(`${kind}-member`);
  });

  it("the length member learns that the longer answer wins", async () => {
    await run("baseline", "--kind", "length", "--train", path("train.csv"), "--predict", path("train.csv"), "--out", path("self.csv"));
    const result = await run("eval", "--preds", path("self.csv"), "--labels", path("train.csv"), "--json");
    expect(JSON.parse(result.stdout).accuracy).toBeGreaterThan(0.8);
  });

  it("--explain prints the fitted importances of a feature member, led by the length differences", async () => {
    const result = await run("baseline", "--kind", "gbdt", "--explain", "--train", path("train.csv"), "--predict", path("test.csv"), "--out", path("gbdt-explain.csv"));
    expect(result).toMatchObject({ code: 0, stderr: "" });
    const lines = result.stdout.trim().split("\n");
    expect(lines[1]).toBe("gbdt feature importances (share of split gain):");
    expect(lines).toHaveLength(2 + 31);
    // Labels follow the length difference, so a length column leads.
    expect(lines[2]).toMatch(/^\s+1\s+\d+\.\d\d%\s+(log_chars|log_words)_diff\s+A − B of log/);
    const shares = lines.slice(2).map((line) => Number(line.match(/([\d.]+)%/)?.[1]));
    expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 1);
    const lengthOnly = await run("baseline", "--kind", "length", "--explain", "--train", path("train.csv"), "--predict", path("test.csv"), "--out", path("x.csv"));
    expect(lengthOnly.code).toBe(2);
    expect(lengthOnly.stderr).toContain("--explain needs a member with named features");
  });

  it("--oof writes k-fold out-of-fold predictions of every training row, each from a member that never saw it", async () => {
    const result = await run("baseline", "--kind", "length", "--train", path("train.csv"), "--predict", path("test.csv"), "--out", path("l.csv"), "--oof", path("oof.csv"), "--folds", "3");
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/3-fold out-of-fold log loss \d\.\d{4}/);
    const lines = (await readFile(path("oof.csv"), "utf8")).trim().split("\n");
    const trainRows = (await readFile(path("train.csv"), "utf8")).trim().split("\n").length - 1;
    expect(lines).toHaveLength(trainRows + 1);
    // out-of-fold scores are worse than the in-sample fit of the same member on the same rows
    await run("baseline", "--kind", "length", "--train", path("train.csv"), "--predict", path("train.csv"), "--out", path("in-sample.csv"));
    const oof = JSON.parse((await run("eval", "--preds", path("oof.csv"), "--labels", path("train.csv"), "--json")).stdout);
    const inSample = JSON.parse((await run("eval", "--preds", path("in-sample.csv"), "--labels", path("train.csv"), "--json")).stdout);
    expect(oof.logLoss).toBeGreaterThan(inSample.logLoss);
  });

  it("rejects an unknown kind as a usage error", async () => {
    const result = await run("baseline", "--kind", "bert", "--train", "x", "--predict", "y", "--out", "z");
    expect(result.code).toBe(2);
  });
});

describe("litee ensemble", () => {
  it("averages members matched by id", async () => {
    expect((await run("ensemble", "--preds", path("a.csv"), path("b.csv"), "--strategy", "mean", "--out", path("mean.csv"))).code).toBe(0);
    const lines = (await readFile(path("mean.csv"), "utf8")).trim().split("\n");
    expect(lines[1].split(",").map(Number)).toEqual([1, 0.5, 0.30000000000000004, 0.2]);
  });

  it("uses the paper's 0.7/0.3 weights by default and takes --weights", async () => {
    await run("ensemble", "--preds", path("a.csv"), path("b.csv"), "--strategy", "weighted", "--out", path("w.csv"));
    const row = (await readFile(path("w.csv"), "utf8")).split("\n")[1].split(",").map(Number);
    [0.7 * 0.6 + 0.3 * 0.4, 0.7 * 0.2 + 0.3 * 0.4, 0.7 * 0.2 + 0.3 * 0.2].forEach((v, k) => expect(row[k + 1]).toBeCloseTo(v, 12));
    await run("ensemble", "--preds", path("a.csv"), path("b.csv"), "--strategy", "weighted", "--weights", "1,1", "--out", path("w2.csv"));
    expect((await readFile(path("w2.csv"), "utf8")).split("\n")[1]).toBe((await readFile(path("mean.csv"), "utf8")).split("\n")[1]);
  });

  it("fits, saves and reloads a learning strategy to identical output", async () => {
    const fit = await run("ensemble", "--preds", path("a.csv"), path("b.csv"), "--labels", path("labels.csv"), "--strategy", "optimize", "--out", path("opt.csv"), "--save", path("opt.json"));
    expect(fit.code).toBe(0);
    expect(JSON.parse(await readFile(path("opt.json"), "utf8")).strategy).toBe("optimize");
    const reload = await run("ensemble", "--preds", path("a.csv"), path("b.csv"), "--load", path("opt.json"), "--out", path("opt2.csv"));
    expect(reload.code).toBe(0);
    expect(await readFile(path("opt2.csv"), "utf8")).toBe(await readFile(path("opt.csv"), "utf8"));
  });

  it("usage errors exit 2; bad files exit 1 with one line naming the file and row", async () => {
    const noLabels = await run("ensemble", "--preds", path("a.csv"), "--strategy", "stack", "--out", path("x.csv"));
    expect(noLabels).toMatchObject({ code: 2, stderr: "error: --strategy stack learns from labels: give --labels <csv>\n" });
    expect((await run("ensemble", "--preds", path("a.csv"), "--out", path("x.csv"))).code).toBe(2);
    expect((await run("ensemble", "--preds", path("a.csv"), "--strategy", "mean", "--weights", "1", "--out", path("x.csv"))).code).toBe(2);
    await writeFile(path("bad.csv"), `${HEADER}\n1,0.5,0.5,0\n2,0.5,0.6,0\n3,1,0,0\n`);
    const bad = await run("ensemble", "--preds", path("a.csv"), path("bad.csv"), "--strategy", "mean", "--out", path("x.csv"));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^litee: PredictionFileError: .*bad\.csv row 2: probabilities sum to 1\.1, expected 1 ± 0\.001\n$/);
    await writeFile(path("other.csv"), `${HEADER}\n1,0.5,0.5,0\n2,0.5,0.5,0\n4,1,0,0\n`);
    const mismatch = await run("ensemble", "--preds", path("a.csv"), path("other.csv"), "--strategy", "mean", "--out", path("x.csv"));
    expect(mismatch.stderr).toMatch(/other\.csv: has no row for id "3" \(row 3 of .*a\.csv\)/);
  });
});

describe("litee eval", () => {
  it("prints the JSON summary with hand-checked values", async () => {
    const result = await run("eval", "--preds", path("a.csv"), "--labels", path("labels.csv"), "--json");
    const summary = JSON.parse(result.stdout);
    expect(Object.keys(summary)).toEqual(["logLoss", "accuracy", "accuracyNoTies", "ece", "rows"]);
    expect(summary.logLoss).toBeCloseTo(-(Math.log(0.6) + Math.log(0.8) + Math.log(0.4)) / 3, 12);
    expect(summary).toMatchObject({ accuracy: 1, accuracyNoTies: 1, rows: 3 });
  });

  it("prints a readable table", async () => {
    const result = await run("eval", "--preds", path("a.csv"), "--labels", path("labels.csv"));
    expect(result.stdout).toMatch(/log loss\s+0\.55009/);
    expect(result.stdout).toMatch(/confusion/);
  });
});
