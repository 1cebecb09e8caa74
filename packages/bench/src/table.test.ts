import { describe, expect, it } from "vitest";
import { machineInfo } from "./machine.js";
import type { BenchRun } from "./result.js";
import { formatBenchTable } from "./table.js";

const run: BenchRun = {
  machine: machineInfo(),
  startedAt: "2026-11-26T00:00:00Z",
  results: [{ suite: "data", peakRssMiB: 120, notes: ["a note"], cases: [{ name: "loadArena", metrics: { rowsPerSecond: 12345.6, seconds: 0.5 } }] }],
};

describe("formatBenchTable", () => {
  it("prints one line per metric, the peak RSS and the notes", () => {
    const text = formatBenchTable(run);
    expect(text).toMatch(/data\s+loadArena\s+rowsPerSecond\s+12346/);
    expect(text).toMatch(/data\s+loadArena\s+seconds\s+0\.500/);
    expect(text).toContain("data: peak RSS 120 MiB");
    expect(text).toContain("data: a note");
  });
  it("adds the ratio to the baseline where one was given", () => {
    const text = formatBenchTable(run, [{ suite: "data", case: "loadArena", metric: "rowsPerSecond", current: 12345.6, baseline: 6172.8, ratio: 2 }]);
    expect(text).toMatch(/rowsPerSecond\s+12346\s+2\.00×/);
  });
});
