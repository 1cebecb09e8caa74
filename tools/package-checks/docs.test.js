// The docs check on a fixture package with one undocumented export and one optional option field that does not
// state its default — and an error class whose `name` and a required field, which need neither.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";

test("typedoc check fails on an undocumented export and an option without its default, and only on those", () => {
  const result = spawnSync(process.execPath, [join(import.meta.dirname, "docs.js"), join(import.meta.dirname, "fixtures/docs-probe")], {
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
  });
  const out = (result.stdout + result.stderr).replace(/\x1b\[[0-9;]*m/g, "");
  assert.equal(result.status, 1, out);
  assert.match(out, /undocumented \(CallSignature\), defined in .* does not have any documentation/);
  assert.match(out, /RunOptions\.volume is optional but its comment does not say "Defaults to/);
  assert.doesNotMatch(out, /RunOptions\.speed|RunOptions\.name|ProbeError/);
  assert.match(out, /failed \(0 errors, 1 warnings, 1 options without a default\)/);
});
