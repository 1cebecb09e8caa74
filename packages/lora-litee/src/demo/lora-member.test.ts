import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeFixture } from "@lora-litee/backend";
import { describe, expect, it } from "vitest";
import { bundledTokenizerDir } from "../assets-path.js";
import { classicalMember } from "./demo-member.js";
import { loraMember } from "./lora-member.js";
import { runDemo } from "./run-demo.js";

describe("the demo with a LoRA member on a fixture model", () => {
  it("trains the LoRA member in every fold, records its loss curve and ensembles it with a classical member", async () => {
    const out = await mkdtemp(join(tmpdir(), "litee-demo-lora-"));
    await writeFixture(join(out, "model"), { tokenizerDir: bundledTokenizerDir(), hidden: 32, layers: 1, heads: 4, kvHeads: 2, intermediate: 64, seed: 0 });
    const lora = await loraMember({ modelDir: join(out, "model"), workDir: join(out, "runs"), epochs: 1, maxLength: 64, caveat: "fixture", name: "lora (fixture)" });
    const result = await runDemo({ outDir: out, folds: 2, members: [classicalMember("length"), lora] });

    const metrics = JSON.parse(await readFile(result.metricsPath, "utf8"));
    const member = metrics.members.find((m: { name: string }) => m.name === "lora (fixture)");
    expect(member.kind).toBe("lora");
    expect(member.caveat).toBe("fixture");
    // a valid distribution on every held-out row: the confusion matrix counts them all
    expect(member.confusion.flat().reduce((a: number, b: number) => a + b, 0)).toBe(40);
    expect(Number.isFinite(member.holdout.logLoss)).toBe(true);
    // one loss series per fit (2 folds + the final fit), each with one point per optimizer step
    const series = new Set(metrics.lossCurve.map((p: { series: string }) => p.series));
    expect([...series]).toEqual(["fold 1/2", "fold 2/2", "final"]);
    expect(metrics.lossCurve.every((p: { loss: number }) => Number.isFinite(p.loss) && p.loss > 0)).toBe(true);
    expect(Object.keys(metrics.ensemble.weights)).toEqual(["length", "lora (fixture)"]);
  }, 300_000);
});
