// The consumer test must fail on the two faults it exists to catch: run it on fixture packages that have them.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";

const here = import.meta.dirname;

test("a package importing an undeclared dependency, or shipping a broken types path, fails", () => {
  const result = spawnSync(process.execPath, [join(here, "run.js"), "--packages-dir", "tools/consumer-test/fixtures/packages"], { encoding: "utf8" });
  const out = result.stdout + result.stderr;
  assert.equal(result.status, 1, out);
  const section = (name) => out.slice(out.indexOf(`\n${name}\n`), out.indexOf("\n\n", out.indexOf(`\n${name}\n`) + 1));

  const undeclared = section("@fixture/undeclared");
  assert.match(undeclared, /FAIL ESM import @fixture\/undeclared\n[\s\S]*Cannot find package 'consumer-test-fixture-undeclared-dependency'/);
  assert.match(undeclared, /FAIL CJS require @fixture\/undeclared\n[\s\S]*Cannot find module 'consumer-test-fixture-undeclared-dependency'/);
  assert.match(undeclared, /ok {3}tsc moduleResolution node16 \+ bundler/);

  const brokenTypes = section("@fixture/broken-types");
  assert.match(brokenTypes, /ok {3}ESM import @fixture\/broken-types/);
  assert.match(brokenTypes, /FAIL tsc moduleResolution node16 \+ bundler[\s\S]*Could not find a declaration file for module '@fixture\/broken-types'/);
  assert.match(out, /consumer-test: 2 packages, 3 failed steps/);
});
