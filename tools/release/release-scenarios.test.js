// Replays release scenarios in a throwaway clone of this repository (committed history plus the working tree's
// nx.json), with `nx release version --dry-run`, and checks which packages nx would bump:
// - a feat(data) commit bumps data and, as patches, its dependents — never lora;
// - a commit that touches only pnpm-lock.yaml bumps nothing (pluginsConfig["@nx/js"].projectsAffectedByDependencyUpdates
//   "auto"); with nx's default ("all") the same commit bumps every package (nx bug #34542), which proves the
//   setting is what keeps independent releases independent.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { appendFileSync, copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, test } from "node:test";

const root = resolve(import.meta.dirname, "../..");
const nxBin = join(root, "node_modules/nx/dist/bin/nx.js");
let clone;

const git = (...args) => execFileSync("git", ["-c", "user.name=release-test", "-c", "user.email=release-test@localhost", "-c", "commit.gpgsign=false", ...args], { cwd: clone, encoding: "utf8" });
const env = { ...process.env, NX_NO_CLOUD: "true", NX_DAEMON: "false", NX_SKIP_NX_CACHE: "true", FORCE_COLOR: "0", NO_COLOR: "1" };

/** Projects `nx release version --dry-run` would give a new version, as a sorted "name@version" list. */
function plannedBumps() {
  const raw = execFileSync(process.execPath, [nxBin, "release", "version", "--dry-run"], { cwd: clone, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  const out = raw.replace(/\x1b\[[0-9;]*m/g, ""); // nx colours project names when run under a task runner
  const bumps = new Set([...out.matchAll(/^(\S+) ✍️\s+New version (\S+) written/gmu)].map((m) => `${m[1]}@${m[2]}`));
  return [...bumps].sort();
}

function commitScenario(message, change) {
  git("reset", "-q", "--hard", "base");
  change();
  git("commit", "-q", "-am", message);
}

before(() => {
  clone = mkdtempSync(join(tmpdir(), "litee-release-"));
  execFileSync("git", ["clone", "-q", "--shared", root, clone]);
  symlinkSync(join(root, "node_modules"), join(clone, "node_modules"), "junction");
  copyFileSync(join(root, "nx.json"), join(clone, "nx.json"));
  git("commit", "-q", "--allow-empty", "-am", "chore: working-tree nx.json");
  git("tag", "base");
  // Every package released at base, so only a scenario's own commit decides (the real history holds feat/fix commits).
  for (const dir of readdirSync(join(clone, "packages"))) {
    const pkg = JSON.parse(readFileSync(join(clone, "packages", dir, "package.json"), "utf8"));
    git("tag", `${pkg.nx?.name ?? dir}@${pkg.version}`, "base");
  }
});
after(() => rmSync(clone, { recursive: true, force: true }));

test("feat(data) bumps data and patches its dependents, not lora", () => {
  commitScenario("feat(data): a scenario feature", () => appendFileSync(join(clone, "packages/data/LICENSE"), "\n"));
  const bumps = plannedBumps();
  assert.ok(bumps.includes("data@0.1.1"), `data should be bumped: ${bumps}`);
  assert.ok(!bumps.some((b) => b.startsWith("lora@")), `lora must not be bumped: ${bumps}`);
  assert.ok(bumps.includes("backend@0.1.1") && bumps.includes("lora-litee@0.1.1"), `dependents get patches: ${bumps}`);
});

test("a lockfile-only fix commit bumps nothing", () => {
  commitScenario("fix(deps): refresh lockfile", () => appendFileSync(join(clone, "pnpm-lock.yaml"), "# a lockfile-only change\n"));
  assert.deepEqual(plannedBumps(), []);
});

test("without projectsAffectedByDependencyUpdates auto, the same commit would bump every package", () => {
  commitScenario("fix(deps): refresh lockfile", () => {
    appendFileSync(join(clone, "pnpm-lock.yaml"), "# a lockfile-only change\n");
    const nxJson = JSON.parse(readFileSync(join(clone, "nx.json"), "utf8"));
    nxJson.pluginsConfig["@nx/js"].projectsAffectedByDependencyUpdates = "all";
    writeFileSync(join(clone, "nx.json"), JSON.stringify(nxJson, null, 2));
  });
  assert.equal(plannedBumps().length, 6);
});
