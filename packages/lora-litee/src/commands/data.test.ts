import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runLitee } from "../testing/run-litee.js";

const SHARED = resolve(dirname(fileURLToPath(import.meta.url)), "../../../../../shared");
const ARENA_DEV = join(SHARED, "data/arena/train_dev.csv");

const litee = runLitee;

describe("litee data inspect", () => {
  it("--json prints exactly one JSON object: 1,500 rows, labels 524 / 512 / 464", async () => {
    const { code, stdout } = await litee("data", "inspect", ARENA_DEV, "--json");
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ rows: 1500, labels: { a: 524, b: 512, tie: 464 }, format: "kaggle" });
    expect(report.problems.nullTurns.count).toBe(7);
    expect(stdout.trimEnd().split("\n")).toHaveLength(1);
  });

  it("prints a readable summary by default", async () => {
    const { code, stdout } = await litee("data", "inspect", ARENA_DEV, "--format", "kaggle");
    expect(code).toBe(0);
    expect(stdout).toContain("rows      1500");
    expect(stdout).toContain("labels    A 524 · B 512 · tie 464");
    expect(stdout).toMatch(/nullTurns: 7 rows \(10 occurrences\)/);
  });

  it("reports malformed files as one error line (exit 1), and a bad flag value as a usage error (exit 2)", async () => {
    const failed = await litee("data", "inspect", join(SHARED, "data/arena/sample_submission.csv"));
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/^litee: DataFormatError: .*sample_submission\.csv:1: field "prompt"/);
    const usage = await litee("data", "inspect", ARENA_DEV, "--format", "parquet");
    expect(usage.code).toBe(2);
  });
});
