import { describe, expect, it } from "vitest";
import { escapeHtml, renderReport } from "./html.js";
import type { ReportData, ReportMember } from "./report-data.js";

const member = (name: string, logLoss: number, kind: ReportMember["kind"], caveat?: string): ReportMember => ({
  name,
  kind,
  holdout: { logLoss, accuracy: 0.4, accuracyNoTies: 0.55, ece: 0.03 },
  oof: { logLoss: logLoss + 0.01, accuracy: 0.41, accuracyNoTies: 0.56, ece: 0.02 },
  confusion: [
    [10, 5, 3],
    [4, 11, 2],
    [6, 6, 7],
  ],
  reliability: [
    { confidence: 0.4, accuracy: 0.38, count: 30 },
    { confidence: 0.55, accuracy: 0.6, count: 24 },
  ],
  seconds: 1.5,
  ...(caveat ? { caveat } : {}),
});

const data: ReportData = {
  title: "lora-litee demo <test>",
  createdAt: "2026-11-26T00:00:00Z",
  dataset: { source: "arena-sample.csv", rows: 200, trainRows: 160, holdoutRows: 40, labels: { a: 70, b: 68, tie: 62 }, problems: { nullTurns: 2 } },
  members: [member("length-lr", 1.07, "classical"), member("lora-fixture", 1.1, "lora", "random-init fixture: not expected to beat the prior"), member("ensemble", 1.06, "ensemble")],
  ensemble: { strategy: "optimize", weights: { "length-lr": 0.8, "lora-fixture": 0.2 } },
  lossCurve: [
    { step: 1, loss: 1.1, series: "train" },
    { step: 2, loss: 1.05, series: "train" },
  ],
  timings: { classical: 1.2, lora: 30 },
  notes: ["a note"],
  environment: { node: "24" },
};

describe("renderReport", () => {
  it("renders every member, the caveat and escaped text", async () => {
    const html = await renderReport(data);
    expect(html).toContain("lora-litee demo &lt;test&gt;");
    for (const name of ["length-lr", "lora-fixture", "ensemble"]) expect(html).toContain(`>${name}`);
    expect(html).toContain("random-init fixture: not expected to beat the prior");
    expect(html).not.toMatch(/<script/);
  });
  it("embeds one SVG per chart with drawn marks", async () => {
    const html = await renderReport(data);
    const svgs = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
    // bars + reliability + loss curve + one confusion matrix per member
    expect(svgs).toHaveLength(3 + data.members.length);
    for (const svg of svgs) expect(svg).toMatch(/<path|<rect/);
  });
  it("marks the best held-out member", async () => {
    const html = await renderReport(data);
    expect(html).toMatch(/<tr class="best"><th scope="row">ensemble/);
  });
});

describe("escapeHtml", () => {
  it("escapes the five HTML-special characters", () => {
    expect(escapeHtml(`<a href="x">&'`)).toBe("&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
  });
});
