import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { inspectDataset, loadDatasetFile } from "../src/dataset-file.js";
import { summarize } from "../src/dataset-report.js";
import { arenaSamplePath } from "../src/sample-path.js";
import { ARENA_DEV, FIXTURES, HH_RLHF, TOKENIZERS } from "./paths.js";

describe("inspectDataset", () => {
  it("reports the real dev file: 1,500 rows, labels 524 / 512 / 464, turns and lengths", async () => {
    const report = await inspectDataset(ARENA_DEV);
    expect(report).toMatchObject({ file: ARENA_DEV, format: "kaggle", rows: 1500, labels: { a: 524, b: 512, tie: 464, unlabelled: 0 } });
    expect(report.turns.prompt.max).toBeGreaterThan(1);
    expect(report.turns.prompt.multiTurnRows).toBeGreaterThan(0);
    expect(report.chars.responseA.p50).toBeLessThanOrEqual(report.chars.responseA.p90);
    expect(report.tokens).toBeNull();
    expect(report.problems.nullTurns.count).toBe(7);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it("adds token-length percentiles with a tokenizer folder", async () => {
    const report = await inspectDataset(join(FIXTURES, "pairs.jsonl"), { tokenizer: join(TOKENIZERS, "bert-minilm") });
    expect(report.format).toBe("jsonl");
    // WordPiece by hand: prompts "q1" → q ##1 (2), "t1" + "t2" → t ##1 t ##2 (4), "q" (1);
    // responses A "a1" (1), "a1" + "a2" (2), "same" (1); responses B "b1", "b1" + "", "same" (1 each)
    expect(report.tokens?.tokenizer).toBe("bert-minilm");
    expect(report.tokens?.prompt).toMatchObject({ p50: 2, max: 4 });
    expect(report.tokens?.prompt.mean).toBeCloseTo(7 / 3, 12);
    expect(report.tokens?.responseA).toMatchObject({ p50: 1, max: 2 });
    expect(report.tokens?.responseB).toMatchObject({ mean: 1, p50: 1, max: 1 });
  });

  it("guesses formats and unpacks gzip", async () => {
    const hh = await loadDatasetFile(HH_RLHF);
    expect([hh.format, hh.table.numRows()]).toEqual(["hh-rlhf", 2312]);
    expect((await loadDatasetFile(join(FIXTURES, "pairs.jsonl"))).format).toBe("jsonl");
    await expect(loadDatasetFile(ARENA_DEV, { format: "parquet" })).rejects.toThrow(/kaggle, hh-rlhf, jsonl/);
  });
});

describe("arenaSamplePath", () => {
  it("points at the bundled 200-row sample", async () => {
    expect(existsSync(arenaSamplePath())).toBe(true);
    const report = await inspectDataset(arenaSamplePath());
    expect([report.rows, report.labels]).toEqual([200, { a: 67, b: 63, tie: 70, unlabelled: 0 }]);
  });
});

describe("summarize", () => {
  it("matches NumPy's linear-interpolation percentiles", () => {
    // numpy.percentile([1, 2, 3, 4, 10], [50, 90, 95, 99]) = [3, 7.6, 8.8, 9.76]
    const stats = summarize(Float64Array.from([10, 3, 1, 4, 2]));
    expect(stats.mean).toBe(4);
    expect(stats.p50).toBe(3);
    expect(stats.p90).toBeCloseTo(7.6, 12);
    expect(stats.p95).toBeCloseTo(8.8, 12);
    expect(stats.p99).toBeCloseTo(9.76, 12);
    expect(stats.max).toBe(10);
  });
});
