import { describe, expect, it } from "vitest";
import { JsonLinesLog, ProgressLineLog, createTrainingLog } from "./training-log.js";

function sink(isTTY = false) {
  const chunks: string[] = [];
  return { chunks, stream: { isTTY, columns: 100, write: (text: string) => chunks.push(text) } };
}

describe("JsonLinesLog", () => {
  it("writes one parseable object per event with a timestamp, keeping non-finite losses visible", () => {
    const { chunks, stream } = sink();
    const log = new JsonLinesLog(stream, { now: () => Date.UTC(2026, 0, 2, 3, 4, 5) });
    log.write({ event: "step", step: 3, loss: 0.5, lr: 1e-4 });
    log.write({ event: "step", step: 4, loss: Number.NaN, lr: 1e-4 });
    log.close();
    const lines = chunks.join("").split("\n").filter(Boolean).map((line) => JSON.parse(line));
    expect(lines).toEqual([
      { time: "2026-01-02T03:04:05.000Z", event: "step", step: 3, loss: 0.5, lr: 1e-4 },
      { time: "2026-01-02T03:04:05.000Z", event: "step", step: 4, loss: "NaN", lr: 1e-4 },
    ]);
  });
});

describe("ProgressLineLog", () => {
  it("redraws one line in place and prints evals above it, with an ETA from the clock", () => {
    const { chunks, stream } = sink(true);
    let time = 0;
    const log = new ProgressLineLog(stream, { now: () => time });
    log.write({ event: "start", step: 0, totalSteps: 10 });
    time = 2000;
    log.write({ event: "step", step: 1, loss: 0.69314, lr: 2e-4, tokensPerSecond: 512.4 });
    log.write({ event: "eval", step: 1, logLoss: 1.05, accuracy: 0.5, rows: 30 });
    log.close();
    expect(chunks[0]).toBe("training from step 0 of 10\n");
    expect(chunks[1].startsWith("\rstep 2/10 [####................] · loss 0.6931 lr 2.0e-4 · 512 tok/s · eta 8s")).toBe(true);
    expect(chunks[1]).toHaveLength(100);
    expect(chunks[2]).toBe("\r\x1b[2Keval @ 1: log loss 1.0500, accuracy 50.0% (30 rows)\n");
    expect(chunks).toHaveLength(3);
  });
});

describe("createTrainingLog", () => {
  it("picks the progress line on a terminal and JSON lines elsewhere", () => {
    expect(createTrainingLog(sink(true).stream)).toBeInstanceOf(ProgressLineLog);
    expect(createTrainingLog(sink(false).stream)).toBeInstanceOf(JsonLinesLog);
  });
});
