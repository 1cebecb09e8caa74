import { existsSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { describe, expect, it } from "vitest";
import { renderReport } from "./html.js";
import type { ReportData, ReportMember } from "./report-data.js";

// Debian's chromium (scripts/install-system-deps.sh installs it in CI); elsewhere point CHROMIUM_PATH at one.
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

const member = (name: string, kind: ReportMember["kind"], logLoss: number): ReportMember => ({
  name,
  kind,
  holdout: { logLoss, accuracy: 0.45, accuracyNoTies: 0.6, ece: 0.05 },
  confusion: [
    [9, 3, 2],
    [2, 8, 3],
    [4, 4, 5],
  ],
  reliability: [
    { confidence: 0.38, accuracy: 0.35, count: 12 },
    { confidence: 0.52, accuracy: 0.55, count: 20 },
    { confidence: 0.71, accuracy: 0.66, count: 8 },
  ],
  seconds: 2,
});

const data: ReportData = {
  title: "browser check",
  createdAt: "2026-11-26T00:00:00Z",
  dataset: { source: "sample", rows: 200, trainRows: 160, holdoutRows: 40, labels: { a: 67, b: 63, tie: 70 }, problems: { crlfLines: 201 } },
  members: [member("prior", "prior", 1.098), member("gbdt", "classical", 1.07), member("lora", "lora", 1.09), member("ensemble", "ensemble", 1.06)],
  ensemble: { strategy: "optimize", weights: { gbdt: 0.7, lora: 0.3 } },
  lossCurve: Array.from({ length: 20 }, (_, i) => ({ step: i + 1, loss: 1.1 - 0.01 * i, series: "train" })),
  timings: { total: 10 },
  notes: ["n"],
  environment: { node: "24" },
};

describe.skipIf(!existsSync(CHROMIUM))(`report.html in headless Chromium (${CHROMIUM})`, () => {
  it("loads without console errors and every chart draws visible marks", async () => {
    const dir = await mkdtemp(join(tmpdir(), "litee-report-"));
    const file = join(dir, "report.html");
    await writeFile(file, await renderReport(data));
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const problems: string[] = [];
      page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
      page.on("pageerror", (e) => problems.push(e.message));
      page.on("request", (r) => !r.url().startsWith("file:") && problems.push(`network request: ${r.url()}`));
      await page.goto(pathToFileURL(file).href);
      const charts = await page.$$eval("svg", (svgs) =>
        svgs.map((svg) => {
          const box = svg.getBoundingClientRect();
          const marks = svg.querySelectorAll("path, rect, circle, line, text").length;
          return { width: box.width, height: box.height, marks };
        }),
      );
      expect(charts).toHaveLength(3 + data.members.length);
      for (const c of charts) {
        expect(c.width).toBeGreaterThan(100);
        expect(c.height).toBeGreaterThan(100);
        expect(c.marks).toBeGreaterThan(5);
      }
      // the first chart is drawn, not blank: a plain white PNG of its size compresses to well under 2 kB
      const png = await (await page.$("svg"))!.screenshot();
      expect(png.byteLength).toBeGreaterThan(2_000);
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
