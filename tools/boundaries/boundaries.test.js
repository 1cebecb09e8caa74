// Lints the fixtures with the workspace's own eslint.config.js (the rule pointed at the fixture workspace under
// fixtures/workspace, whose package.json files are fixed), at paths inside its packages/, and checks that the
// boundary rule reports exactly the forbidden edges, deep imports and undeclared dependencies.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import boundaries from "./rule.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const packagesDir = "tools/boundaries/fixtures/workspace/packages";
const eslint = new ESLint({
  cwd: root,
  overrideConfig: { files: [`${packagesDir}/**/*.ts`], plugins: { boundaries }, rules: { "boundaries/enforce": ["error", { packagesDir }] } },
});

async function boundaryErrors(fixture, asPath) {
  const [result] = await eslint.lintText(readFileSync(join(here, "fixtures", fixture), "utf8"), { filePath: join(root, packagesDir, asPath) });
  const fatal = result.messages.filter((m) => m.fatal);
  assert.deepEqual(fatal, [], "the fixture must parse");
  return result.messages.filter((m) => m.ruleId === "boundaries/enforce").map((m) => `${m.line}: ${m.message}`);
}

test("the workspace config enables the rule for packages/*/src", async () => {
  const config = await new ESLint({ cwd: root }).calculateConfigForFile(join(root, "packages/data/src/index.ts"));
  assert.equal(config.rules["boundaries/enforce"][0], 2);
});

test("a reverse import (data → backend) is a lint error", async () => {
  const errors = await boundaryErrors("reverse-import.ts", "data/src/reverse-import.ts");
  assert.equal(errors.length, 1);
  assert.match(errors[0], /^3: @lora-litee\/data must not import @lora-litee\/backend: .*to import no workspace package/);
});

test("the same import is allowed where the direction permits it (bench → backend)", async () => {
  assert.deepEqual(await boundaryErrors("reverse-import.ts", "bench/src/reverse-import.ts"), []);
});

test("ensemble may not import the backend", async () => {
  const errors = await boundaryErrors("reverse-import.ts", "ensemble/src/reverse-import.ts");
  assert.equal(errors.length, 1);
  assert.match(errors[0], /@lora-litee\/ensemble must not import @lora-litee\/backend: .*only @lora-litee\/data, @lora-litee\/lora/);
});

test("deep imports by package name and by relative path are refused", async () => {
  const errors = await boundaryErrors("deep-import.ts", "backend/src/deep-import.ts");
  assert.equal(errors.length, 2);
  assert.match(errors[0], /^2: '@lora-litee\/data\/src\/arena\.js' reaches into @lora-litee\/data's files; .*: @lora-litee\/data, @lora-litee\/data\/node/);
  assert.match(errors[1], /^3: '\.\.\/\.\.\/lora\/src\/peft\.js' is a relative path into another package \(@lora-litee\/lora\)/);
});

test("allowed edges, public entries (\"/node\" included) and relative imports inside the package pass", async () => {
  assert.deepEqual(await boundaryErrors("allowed.ts", "backend/src/allowed.ts"), []);
});

test("an allowed edge missing from the importer's dependencies is an error in src, fine in tests via devDependencies", async () => {
  const errors = await boundaryErrors("undeclared.ts", "ensemble/src/undeclared.ts");
  assert.equal(errors.length, 1);
  assert.match(errors[0], /^3: @lora-litee\/ensemble imports @lora-litee\/lora but its package\.json does not list it in dependencies or peerDependencies/);
  assert.deepEqual(await boundaryErrors("undeclared.ts", "ensemble/test/undeclared.test.ts"), []);
});

test("the CLI meta-package may import every package", async () => {
  assert.deepEqual(await boundaryErrors("reverse-import.ts", "lora-litee/src/reverse-import.ts"), []);
});
