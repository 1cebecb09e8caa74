// The allow-list and the tarball reader, on a package packed for real with pnpm.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileListProblems, readmeProblems } from "./check-package.js";
import { packPackage, tarballFiles } from "./pack.js";

test("the allow-list accepts dist, README, LICENSE, CHANGELOG and package.json", () => {
  assert.deepEqual(fileListProblems(["LICENSE", "README.md", "CHANGELOG.md", "dist/index.js", "dist/index.d.cts", "package.json"]), []);
});

test("sources, tests, fixtures and stray files are refused; README and LICENSE are required", () => {
  const problems = fileListProblems(["package.json", "dist/index.js", "src/index.ts", "dist/a.test.js", "test/fixtures/x.csv", "notes.txt"]);
  assert.deepEqual(problems, [
    "README.md is missing from the tarball",
    "LICENSE is missing from the tarball",
    "src/index.ts looks like a source, test or fixture file",
    "dist/a.test.js looks like a source, test or fixture file",
    "test/fixtures/x.csv looks like a source, test or fixture file",
    "notes.txt is not in the allow-list (dist/, README.md, LICENSE, CHANGELOG.md, package.json, or tools/package-checks/allow-list.json)",
  ]);
});

test("a package's extras admit exactly the listed files and folders", () => {
  const extras = { "sample/data.csv": "why", "assets/": "why" };
  assert.deepEqual(fileListProblems(["LICENSE", "README.md", "package.json", "sample/data.csv", "assets/a.png"], extras), []);
  assert.equal(fileListProblems(["LICENSE", "README.md", "package.json", "sample/make.py"], extras).length, 1);
});

test("tarballFiles lists what pnpm pack put in the tarball, honouring the files field", () => {
  const dir = mkdtempSync(join(tmpdir(), "litee-pack-test-"));
  try {
    const write = (path, text) => {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    };
    write("package.json", JSON.stringify({ name: "pack-fixture", version: "1.0.0", files: ["dist"] }));
    write("README.md", "# pack-fixture\n");
    write("dist/index.js", "export {};\n");
    write("dist/deeply/nested/folder/with/a/rather/long/path/that/needs/the/ustar/prefix/field/to/fit/module.js", "export {};\n");
    write("src/index.ts", "export {};\n");
    const tarball = packPackage(dir, mkdtempSync(join(tmpdir(), "litee-pack-out-")));
    assert.deepEqual(tarballFiles(tarball), [
      "README.md",
      "dist/deeply/nested/folder/with/a/rather/long/path/that/needs/the/ustar/prefix/field/to/fit/module.js",
      "dist/index.js",
      "package.json",
    ]);
    rmSync(dirname(tarball), { recursive: true, force: true });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a README needs an install line and an example importing the package", () => {
  const good = "# x\n\n```sh\nnpm install @lora-litee/data\n```\n\n```ts\nimport { loadArena } from \"@lora-litee/data/node\";\n```\n";
  assert.deepEqual(readmeProblems(good, "@lora-litee/data"), []);
  assert.deepEqual(readmeProblems("```ts\nimport { x } from \"@lora-litee/datax\";\n```\n", "@lora-litee/data"), [
    "README.md has no install line (npm install @lora-litee/data)",
    "README.md has no ts/js example that imports @lora-litee/data",
  ]);
  assert.deepEqual(readmeProblems("pnpm add -D lora-litee\n\n```js\nconst { data } = require(\"lora-litee\");\n```\n", "lora-litee"), []);
});
