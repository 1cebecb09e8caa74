import { describe, expect, it } from "vitest";
import { runLitee } from "../testing/run-litee.js";

describe("litee bench", () => {
  it("--json prints exactly one JSON object with the machine header and each suite's cases", async () => {
    const { code, stdout } = await runLitee("bench", "data", "gbdt", "--quick", "--json", "--no-isolate");
    expect(code).toBe(0);
    expect(stdout.trimEnd().split("\n")).toHaveLength(1);
    const run = JSON.parse(stdout);
    expect(run.machine.cores).toBeGreaterThan(0);
    expect(run.results.map((r: { suite: string }) => r.suite)).toEqual(["data", "gbdt"]);
    expect(run.results[0].cases[0].metrics.rowsPerSecond).toBeGreaterThan(0);
  }, 120_000);

  it("refuses an unknown suite with a usage error", async () => {
    const { code, stderr } = await runLitee("bench", "nope");
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown suite nope; expected data, lora, gbdt, train-step, train, infer/);
  });
});
