import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { classicalMember } from "./demo-member.js";
import { DemoDataError, runDemo } from "./run-demo.js";

describe("runDemo on the bundled sample", () => {
  it("scores every member, the prior and the ensemble, and writes report.html and metrics.json", async () => {
    const outDir = await mkdtemp(join(tmpdir(), "litee-demo-"));
    const stages: string[] = [];
    const result = await runDemo({ outDir, folds: 3, members: [classicalMember("length"), classicalMember("rich-lr")], onProgress: (m) => stages.push(m) });

    const metrics = JSON.parse(await readFile(result.metricsPath, "utf8"));
    expect(metrics.members.map((m: { name: string }) => m.name)).toEqual(["prior", "length", "rich-lr", "ensemble (optimize)"]);
    expect(metrics.dataset).toMatchObject({ rows: 200, trainRows: 160, holdoutRows: 40 });
    expect(metrics.dataset.labels.a + metrics.dataset.labels.b + metrics.dataset.labels.tie).toBe(200);
    for (const m of metrics.members) {
      expect(m.holdout.logLoss).toBeGreaterThan(0);
      // NaN would be written as null: every member and the cross-fitted ensemble has a finite out-of-fold score
      expect(m.oof.logLoss).toBeGreaterThan(0);
      expect(m.confusion.flat().reduce((a: number, b: number) => a + b, 0)).toBe(40);
    }
    // the prior predicts the training split's label frequencies, so its log loss is their cross-entropy
    const prior = metrics.members[0];
    expect(prior.holdout.logLoss).toBeGreaterThan(1.05);
    expect(prior.holdout.logLoss).toBeLessThan(1.15);
    // the optimised weights lie on the simplex
    const weights = Object.values(metrics.ensemble.weights as Record<string, number>);
    expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);

    const html = await readFile(result.reportPath, "utf8");
    expect(html).toContain("ensemble (optimize)");
    expect((html.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(2 + 4);
    expect(stages).toContain("length: 3-fold cross-validation");
  }, 120_000);

  it("refuses unlabelled rows with an error naming the file and the row id", async () => {
    const dir = await mkdtemp(join(tmpdir(), "litee-demo-"));
    const file = join(dir, "test.csv");
    const cell = (t: string) => `"${JSON.stringify([t]).replaceAll('"', '""')}"`;
    const rows = Array.from({ length: 12 }, (_, i) => `${i},${cell("q")},${cell("a")},${cell("b")}`);
    await writeFile(file, ["id,prompt,response_a,response_b", ...rows].join("\n"));
    const run = runDemo({ data: file, outDir: dir, folds: 2, members: [classicalMember("length")] });
    await expect(run).rejects.toThrow(DemoDataError);
    await expect(run).rejects.toThrow(/test\.csv: row id "\d+" has no label/);
  });
});
