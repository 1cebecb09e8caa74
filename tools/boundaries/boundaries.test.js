// Lints the fixtures with the workspace's own eslint.config.js, placed at paths inside packages/, and checks that
// the boundary rule reports exactly the forbidden edges and deep imports.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const eslint = new ESLint({ cwd: root });

async function boundaryErrors(fixture, asPath) {
  const [result] = await eslint.lintText(readFileSync(join(here, "fixtures", fixture), "utf8"), { filePath: join(root, asPath) });
  return result.messages.filter((m) => m.ruleId === "boundaries/enforce").map((m) => `${m.line}: ${m.message}`);
}

test("a reverse import (data → backend) is a lint error", async () => {
  const errors = await boundaryErrors("reverse-import.ts", "packages/data/src/reverse-import.ts");
  assert.equal(errors.length, 1);
  assert.match(errors[0], /^3: @lora-litee\/data must not import @lora-litee\/backend: .*to import no workspace package/);
});

test("the same import is allowed in the other direction's importer (bench → backend)", async () => {
  assert.deepEqual(await boundaryErrors("reverse-import.ts", "packages/bench/src/reverse-import.ts"), []);
});

test("ensemble may not import the backend", async () => {
  const errors = await boundaryErrors("reverse-import.ts", "packages/ensemble/src/reverse-import.ts");
  assert.equal(errors.length, 1);
  assert.match(errors[0], /@lora-litee\/ensemble must not import @lora-litee\/backend: .*only @lora-litee\/data, @lora-litee\/lora/);
});

test("deep imports by package name and by relative path are refused", async () => {
  const errors = await boundaryErrors("deep-import.ts", "packages/backend/src/deep-import.ts");
  assert.deepEqual(errors.length, 2);
  assert.match(errors[0], /^2: '@lora-litee\/data\/src\/arena\.js' reaches into @lora-litee\/data's files; .*: @lora-litee\/data/);
  assert.match(errors[1], /^3: '\.\.\/\.\.\/lora\/src\/peft\.js' is a relative path into another package \(@lora-litee\/lora\)/);
});

test("allowed edges, public entries and relative imports inside the package pass", async () => {
  assert.deepEqual(await boundaryErrors("allowed.ts", "packages/backend/src/allowed.ts"), []);
});

test("the CLI meta-package may import every package", async () => {
  assert.deepEqual(await boundaryErrors("reverse-import.ts", "packages/lora-litee/src/reverse-import.ts"), []);
});
