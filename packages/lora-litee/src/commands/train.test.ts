import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeFixture } from "@lora-litee/backend";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundledTokenizerDir } from "../assets-path.js";
import { runLitee } from "../testing/run-litee.js";

// <repo root>/../shared
const sharedTokenizers = fileURLToPath(new URL("../../../../../shared/tokenizers/", import.meta.url));
let dir: string;
const path = (name: string) => join(dir, name);

/** Pairs where the response that says "yes" wins, "yes" in both is a tie; the rest of the text is noise. */
function ruleCsv(rows: number, offset: number): string {
  const noise = ["sun", "map", "cup", "owl", "fig", "jar", "kit", "log"];
  const cell = (text: string) => `"${JSON.stringify([text]).replaceAll('"', '""')}"`;
  const lines = ["id,model_a,model_b,prompt,response_a,response_b,winner_model_a,winner_model_b,winner_tie"];
  for (let i = 0; i < rows; i++) {
    const label = (i * 7 + offset) % 3;
    const word = (k: number) => noise[(i * 5 + k * 3 + offset) % noise.length];
    const a = `${word(1)} ${label !== 1 ? "yes" : "no"} ${word(2)}`;
    const b = `${word(3)} ${label !== 0 ? "yes" : "no"} ${word(4)}`;
    lines.push([offset + i, "m1", "m2", cell(`say ${word(5)}`), cell(a), cell(b), ...[0, 1, 2].map((c) => Number(c === label))].join(","));
  }
  return `${lines.join("\n")}\n`;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "litee-train-"));
  await writeFixture(path("model"), { tokenizerDir: bundledTokenizerDir(), hidden: 32, layers: 1, heads: 4, kvHeads: 2, intermediate: 64, seed: 0 });
  await writeFile(path("train.csv"), ruleCsv(96, 0));
  await writeFile(path("test.csv"), ruleCsv(48, 1000));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const common = (model = path("model")) => ["--model", model, "--max-length", "32", "--rank", "8", "--lr", "1e-2", "--batch", "8"];

describe("litee train → predict → eval", () => {
  it("learns the rule, writes a PEFT adapter and metrics, and predicts held-out pairs far beyond the prior", async () => {
    const train = await runLitee("train", ...common(), "--data", path("train.csv"), "--out", path("run"), "--epochs", "3", "--checkpoint-every", "10");
    expect(train.code, train.stderr).toBe(0);
    const config = JSON.parse(await readFile(path("run/adapter/adapter_config.json"), "utf8"));
    expect(config).toMatchObject({ peft_type: "LORA", task_type: "SEQ_CLS", r: 8, lora_alpha: 16 });
    const metrics = JSON.parse(await readFile(path("run/metrics.json"), "utf8"));
    expect(metrics.steps).toBe(metrics.totalSteps);
    expect(metrics.losses.at(-1)).toBeLessThan(metrics.losses[0]);

    const predict = await runLitee("predict", "--model", path("model"), "--adapter", path("run/adapter"), "--data", path("test.csv"), "--out", path("pred.csv"), "--max-length", "32", "--tta", "swap");
    expect(predict.code, predict.stderr).toBe(0);
    const lines = (await readFile(path("pred.csv"), "utf8")).trim().split("\n");
    expect(lines[0]).toBe("id,winner_model_a,winner_model_b,winner_tie");
    expect(lines).toHaveLength(49);

    const evaluation = await runLitee("eval", "--preds", path("pred.csv"), "--labels", path("test.csv"), "--json");
    expect(evaluation.code, evaluation.stderr).toBe(0);
    const scores = JSON.parse(evaluation.stdout);
    expect(scores.rows).toBe(48);
    expect(scores.logLoss).toBeLessThan(0.8); // the prior is ln 3 ≈ 1.10
  }, 300_000);

  it("--folds writes out-of-fold predictions for every row and the fold-average adapter", async () => {
    const run = await runLitee("train", ...common(), "--data", path("train.csv"), "--out", path("cv"), "--folds", "2", "--epochs", "1");
    expect(run.code, run.stderr).toBe(0);
    const oof = (await readFile(path("cv/oof.csv"), "utf8")).trim().split("\n");
    expect(oof).toHaveLength(97);
    expect(new Set(oof.slice(1).map((l) => l.split(",")[0])).size).toBe(96);
    expect(JSON.parse(await readFile(path("cv/metrics.json"), "utf8")).foldMetrics).toHaveLength(2);
    await expect(readFile(path("cv/adapter/adapter_model.safetensors"))).resolves.toBeInstanceOf(Buffer);
  }, 300_000);

  it.each(["bert", "gemma2"])("trains, predicts and exports a %s fixture the same way", async (arch) => {
    const model = path(`${arch}-model`);
    const tokenizer = arch === "bert" ? join(sharedTokenizers, "bert-minilm") : bundledTokenizerDir();
    const fixture = await runLitee("fixture", model, "--arch", arch, "--tokenizer", tokenizer, "--hidden", "32", "--layers", "1", "--heads", "4", "--intermediate", "64");
    expect(fixture.code, fixture.stderr).toBe(0);
    const run = path(`${arch}-run`);
    const train = await runLitee("train", ...common(model), "--data", path("train.csv"), "--out", run, "--epochs", "3", "--eval", path("test.csv"));
    expect(train.code, train.stderr).toBe(0);
    const config = JSON.parse(await readFile(join(run, "adapter/adapter_config.json"), "utf8"));
    expect(config.modules_to_save).toContain(arch === "bert" ? "classifier" : "score");
    const metrics = JSON.parse(await readFile(join(run, "metrics.json"), "utf8"));
    expect(metrics.evals.at(-1).logLoss).toBeLessThan(0.9); // the prior is ln 3 ≈ 1.10

    const predict = await runLitee("predict", "--model", model, "--adapter", join(run, "adapter"), "--data", path("test.csv"), "--out", join(run, "pred.csv"), "--max-length", "32");
    expect(predict.code, predict.stderr).toBe(0);
    expect((await readFile(join(run, "pred.csv"), "utf8")).trim().split("\n")).toHaveLength(49);
    const exported = await runLitee("export", model, join(run, "adapter"), join(run, "served"));
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toMatch(/\d+ LoRA layers merged/);
  }, 300_000);

  it("rejects a bad flag value as a usage error", async () => {
    const { code, stderr } = await runLitee("train", "--model", "m", "--data", "d", "--out", "o", "--rank", "zero");
    expect(code).toBe(2);
    expect(stderr).toMatch(/--rank.*expected an integer ≥ 1, got "zero"/);
  });
});
