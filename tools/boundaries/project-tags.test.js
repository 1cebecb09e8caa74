// The local Nx plugin (tools/nx-plugin) gives every package the tags of constraints.json and the publishing
// targets; read back from Nx's own project graph.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { test } from "node:test";

const root = resolve(import.meta.dirname, "../..");
const constraints = JSON.parse(readFileSync(join(import.meta.dirname, "constraints.json"), "utf8"));

test("every package carries its boundary tags and the check-package, api-report and docs targets", () => {
  const dir = mkdtempSync(join(tmpdir(), "litee-graph-"));
  try {
    const file = join(dir, "graph.json");
    execFileSync(process.execPath, [join(root, "node_modules/nx/dist/bin/nx.js"), "graph", `--file=${file}`], {
      cwd: root,
      env: { ...process.env, NX_DAEMON: "false", NX_NO_CLOUD: "true" },
      stdio: "ignore",
    });
    const nodes = JSON.parse(readFileSync(file, "utf8")).graph.nodes;
    const packages = Object.values(nodes).filter((n) => n.data.root.startsWith("packages/"));
    assert.equal(packages.length, Object.keys(constraints.projects).length);
    for (const node of packages) {
      const name = JSON.parse(readFileSync(join(root, node.data.root, "package.json"), "utf8")).name;
      for (const tag of constraints.projects[name]) assert.ok(node.data.tags.includes(tag), `${name} lacks tag ${tag}`);
      for (const target of ["check-package", "api-report", "docs"]) assert.ok(node.data.targets[target], `${name} lacks target ${target}`);
      assert.deepEqual(node.data.targets["check-package"].dependsOn, ["build"]);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
