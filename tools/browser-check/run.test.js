// The browser check on fixture smoke files: only the clean one passes; a Node built-in fails the bundle, a
// console error or a rejected call fails the run in Chromium. Needs Chromium (CI installs it); elsewhere skipped.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const skip = !existsSync(chromium) && !process.env.CI ? `no Chromium at ${chromium}` : false;

test("only the clean smoke passes", { skip }, () => {
  const fixtures = ["clean", "node-builtin", "console-error", "throws"].map((f) => join(import.meta.dirname, "fixtures", `${f}.ts`));
  const result = spawnSync(process.execPath, [join(import.meta.dirname, "run.js"), "--smoke", ...fixtures], { encoding: "utf8" });
  const out = result.stdout + result.stderr;
  assert.equal(result.status, 1, out);
  assert.match(out, /ok {3}.*clean\.ts: sha-256 of 'lora-litee' is 32 bytes/);
  assert.match(out, /FAIL .*node-builtin\.ts: .*Could not resolve "node:fs"/);
  assert.match(out, /FAIL .*console-error\.ts: returned normally\n\s+console\.error: a warning the page must not print/);
  assert.match(out, /FAIL .*throws\.ts: smoke call failed on purpose/);
  assert.match(out, /browser-check: 4 packages, 3 failed/);
});
