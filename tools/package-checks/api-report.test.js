// api-report on a fixture package: a missing or stale report fails; --update writes it; then the check passes,
// and a changed signature fails again.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";

const script = join(import.meta.dirname, "api-report.js");
const report = (dir, ...args) => {
  const r = spawnSync(process.execPath, [script, dir, ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" } });
  return { status: r.status, out: r.stdout + r.stderr };
};

test("the API report check fails on drift and passes once the report is updated", () => {
  const dir = mkdtempSync(join(tmpdir(), "api-probe-"));
  try {
    cpSync(join(import.meta.dirname, "fixtures/api-probe"), dir, { recursive: true });
    const missing = report(dir);
    assert.equal(missing.status, 1, missing.out);
    assert.match(missing.out, /api\/api-probe\.api\.md differs from the built API/);

    const updated = report(dir, "--update");
    assert.equal(updated.status, 0, updated.out);
    const text = readFileSync(join(dir, "api/api-probe.api.md"), "utf8");
    assert.match(text, /export function add\(a: number, b: number\): number;/);
    assert.match(text, /export function scale\(x: number, by\?: number\): number;/);
    assert.equal(report(dir).status, 0);

    appendFileSync(join(dir, "lib/index.d.ts"), "/** New. */\nexport declare const added: string;\n");
    const drift = report(dir);
    assert.equal(drift.status, 1, drift.out);
    assert.match(drift.out, /\+ export const added: string;/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
