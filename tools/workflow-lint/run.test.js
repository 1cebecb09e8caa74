// workflow-lint on the real workflows (clean) and on fixtures with known mistakes (each one reported).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";

const lint = (...args) => {
  const r = spawnSync(process.execPath, [join(import.meta.dirname, "run.js"), ...args], { encoding: "utf8" });
  return { status: r.status, out: r.stdout + r.stderr };
};

test("the repository's workflows are clean", () => {
  const { status, out } = lint();
  assert.equal(status, 0, out);
  assert.match(out, /workflow-lint: 2 workflows, 0 problems/);
});

test("schema errors, bad expressions and broken contract points are each reported", () => {
  const { status, out } = lint("--dir", join(import.meta.dirname, "fixtures/bad"));
  assert.equal(status, 1, out);
  assert.match(out, /workflow schema: .*Unexpected value 'stepz'/);
  assert.match(out, /actionlint .*"steps" section is missing in job "test"/);
  assert.match(out, /contract: the test matrix sets fail-fast: false/);
  assert.match(out, /contract: grants id-token: write for npm provenance/);
  assert.match(out, /contract: runs a dry-run release before the real publish/);
});
