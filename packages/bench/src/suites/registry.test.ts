import { describe, expect, it } from "vitest";
import { SUITES } from "./registry.js";

// Quick shapes only: these check that each suite runs end to end and reports sane numbers, not its speed.
describe("bench suites (quick)", () => {
  it("data: loads the repeated sample and reports its rows", async () => {
    const r = await SUITES.data.run({ quick: true });
    expect(r.cases[0].info?.rows).toBe(2000);
    expect(r.cases[0].metrics.rowsPerSecond).toBeGreaterThan(0);
    expect(r.peakRssMiB).toBeGreaterThan(0);
  }, 60_000);
  it("gbdt: trains and learns something on the synthetic task", async () => {
    const r = await SUITES.gbdt.run({ quick: true });
    expect(r.cases[0].metrics.rowsPerSecond).toBeGreaterThan(0);
    expect(Number(r.cases[0].info?.finalTrainLoss)).toBeLessThan(Math.log(3));
  }, 60_000);
  it("lora: measures every op beside the ORT reference", async () => {
    const r = await SUITES.lora.run({ quick: true });
    expect(r.cases.map((c) => c.name.split(" ")[0])).toEqual(expect.arrayContaining(["forward", "backward", "merge"]));
    for (const c of r.cases) expect(c.metrics.gflops).toBeGreaterThan(0);
    expect(r.cases.some((c) => (c.metrics.referenceGflops ?? 0) > 0)).toBe(true);
  }, 60_000);
  it("train-step: runs LoRA training steps on ORT and the loss moves", async () => {
    const r = await SUITES["train-step"].run({ quick: true });
    expect(r.cases[0].metrics.tokensPerSecond).toBeGreaterThan(0);
    expect(r.cases[0].info?.lastLoss).not.toBe(r.cases[0].info?.firstLoss);
  }, 120_000);
  it("infer: exports a merged model and times batch prediction on plain onnxruntime", async () => {
    const r = await SUITES.infer.run({ quick: true });
    expect(r.cases.map((c) => c.info?.weights)).toEqual(["float32", "int8"]);
    for (const c of r.cases) expect(c.metrics.tokensPerSecond).toBeGreaterThan(0);
    expect(r.cases[0].info?.seq).toBe(64);
  }, 120_000);
  it("train: times trainLora steps on a fixture", async () => {
    const r = await SUITES.train.run({ quick: true });
    expect(r.cases[0].metrics.tokensPerSecond).toBeGreaterThan(0);
    expect(r.cases[0].info?.seq).toBe(32);
  }, 120_000);
});
