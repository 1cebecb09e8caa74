// The consumer test: what a user gets from npm, checked from packed tarballs and nothing else.
// 1. `pnpm pack` every package (workspace:^ ranges become real versions, as on publish);
// 2. for each package alone, a fresh project in the OS temp folder (outside the workspace, so no workspace
//    node_modules can leak in) installs that package's tarball plus the tarballs of the workspace packages it
//    declares, with plain `npm install`; then it
//    - imports every public entry from ESM and requires it from CJS,
//    - type-checks TypeScript files (ESM and CJS) against it with moduleResolution node16 and bundler, including
//      our own .d.ts files, so a types path to a missing file or an undeclared package fails (typecheck.js),
//    - runs calls/<package>.ts, one real call through the public API, and the README's examples marked
//      `<!-- runnable -->` (type-checked too when they are TypeScript);
// 3. the meta-package's installed `litee` bin runs `--help` and `data inspect` on the bundled arena sample.
// Usage: node tools/consumer-test/run.js [--only data,lora] [--keep] [--packages-dir packages]
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { publicEntries } from "../package-checks/entries.js";
import { packPackage } from "../package-checks/pack.js";

const here = import.meta.dirname;
const root = resolve(here, "../..");
const argv = process.argv.slice(2);
const only = argv.includes("--only") ? argv[argv.indexOf("--only") + 1].split(",") : undefined;
const keep = argv.includes("--keep");
const typecheck = join(here, "typecheck.js");
const typesNodeRange = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).devDependencies["@types/node"];
const env = { ...process.env, ONNXRUNTIME_NODE_INSTALL: "skip", npm_config_update_notifier: "false" };
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const overrides = workspaceOverrides();

const work = mkdtempSync(join(tmpdir(), "litee-consumer-"));
const started = Date.now();
let failures = 0;

function step(label, fn) {
  const t0 = Date.now();
  try {
    const note = fn();
    console.log(`  ok   ${label}${note ? ` — ${note}` : ""} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  } catch (error) {
    failures++;
    const detail = [error.stdout, error.stderr].filter(Boolean).join("\n").trim() || error.message;
    console.log(`  FAIL ${label}\n${detail.replace(/^/gm, "       ")}`);
  }
}

function run(command, args, cwd) {
  return execFileSync(command, args, { cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], shell: process.platform === "win32" });
}

// Packages, their tarballs and their workspace dependencies (the closure a package must install together).
const packagesDir = resolve(root, argv.includes("--packages-dir") ? argv[argv.indexOf("--packages-dir") + 1] : "packages");
const packages = readdirSync(packagesDir)
  .filter((dir) => existsSync(join(packagesDir, dir, "package.json")))
  .map((dir) => ({ dir: join(packagesDir, dir), ...publicEntries(join(packagesDir, dir)) }));
const byName = new Map(packages.map((p) => [p.pkg.name, p]));
const tarballDir = join(work, "tarballs");
mkdirSync(tarballDir);
console.log(`consumer-test: packing ${packages.length} packages into ${tarballDir}`);
for (const p of packages) p.tarball = packPackage(p.dir, tarballDir);

/**
 * The workspace's pnpm `overrides`, applied as npm `overrides` in each consumer project. They pin around packages
 * the reachable registry does not serve (see pnpm-workspace.yaml); a consumer here needs the same pins, and the
 * test reports them so the gap stays visible.
 */
function workspaceOverrides() {
  const yaml = readFileSync(join(root, "pnpm-workspace.yaml"), "utf8");
  const block = yaml.split(/^overrides:\s*$/m)[1]?.split(/^\S/m)[0] ?? "";
  const pins = {};
  for (const [, name, version] of block.matchAll(/^\s+["']?([^"'\s:]+(?:\/[^"'\s:]+)?)["']?:\s*["']?([^"'\s#]+)["']?/gm)) pins[name] = version;
  if (Object.keys(pins).length) console.log(`consumer-test: npm overrides from pnpm-workspace.yaml: ${JSON.stringify(pins)}`);
  return pins;
}

function workspaceClosure(name, seen = new Set()) {
  if (seen.has(name)) return seen;
  seen.add(name);
  for (const dep of Object.keys(byName.get(name).pkg.dependencies ?? {})) if (byName.has(dep)) workspaceClosure(dep, seen);
  return seen;
}

function consumerProject(p) {
  const dir = join(work, p.pkg.name.replace(/^@[^/]+\//, ""));
  mkdirSync(dir);
  const manifest = { name: `consumer-of-${p.pkg.name.replace(/[@/]/g, "-")}`, private: true, type: "module", overrides };
  writeFileSync(join(dir, "package.json"), JSON.stringify(manifest, null, 2));
  const tarballs = [...workspaceClosure(p.pkg.name)].map((n) => relative(dir, byName.get(n).tarball).replaceAll("\\", "/"));
  step(`npm install ${tarballs.map((t) => t.replace(/^.*\//, "")).join(" ")}`, () => {
    run(npm, ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", ...tarballs, `@types/node@${typesNodeRange}`], dir);
  });
  return dir;
}

function checkPackage(p) {
  console.log(`\n${p.pkg.name}`);
  const dir = consumerProject(p);
  const specifiers = p.entries.map((e) => (e.subpath === "." ? p.pkg.name : `${p.pkg.name}/${e.subpath.slice(2)}`));
  const expectKeys = (via) => `if (Object.keys(m).length === 0) throw new Error(${JSON.stringify(via)} + " gave a module with no exports");`;

  writeFileSync(join(dir, "esm.mjs"), specifiers.map((s) => `{ const m = await import(${JSON.stringify(s)}); ${expectKeys(`import ${s}`)} }`).join("\n"));
  step(`ESM import ${specifiers.join(", ")}`, () => void run(process.execPath, ["esm.mjs"], dir));
  writeFileSync(join(dir, "cjs.cjs"), specifiers.map((s) => `{ const m = require(${JSON.stringify(s)}); ${expectKeys(`require ${s}`)} }`).join("\n"));
  step(`CJS require ${specifiers.join(", ")}`, () => void run(process.execPath, ["cjs.cjs"], dir));

  const call = join(here, "calls", `${p.pkg.name.replace(/^@[^/]+\//, "")}.ts`);
  const files = ["entries.ts", "entries-cjs.cts"];
  const examples = readmeExamples(join(dir, "node_modules", ...p.pkg.name.split("/"), "README.md"));
  examples.forEach((example, i) => {
    example.file = `readme-example-${i + 1}.${example.lang === "ts" ? "ts" : "mjs"}`;
    writeFileSync(join(dir, example.file), example.code);
    if (example.lang === "ts") files.push(example.file);
  });
  writeFileSync(join(dir, "entries.ts"), specifiers.map((s, i) => `import * as entry${i} from ${JSON.stringify(s)};`).join("\n") + `\nexport const entries: object[] = [${specifiers.map((_, i) => `entry${i}`).join(", ")}];\n`);
  writeFileSync(join(dir, "entries-cjs.cts"), specifiers.map((s, i) => `import entry${i} = require(${JSON.stringify(s)});`).join("\n") + `\nexport const entries: object[] = [${specifiers.map((_, i) => `entry${i}`).join(", ")}];\n`);
  if (existsSync(call)) {
    copyFileSync(call, join(dir, "call.ts"));
    files.push("call.ts");
  }
  step(`tsc moduleResolution node16 + bundler (${files.join(", ")})`, () => run(process.execPath, [typecheck, ...files], dir).trim().replace(/\n/g, "; "));
  if (existsSync(call)) step(`real call: calls/${relative(join(here, "calls"), call)}`, () => run(process.execPath, ["call.ts"], dir).trim().split("\n").at(-1));
  else console.log(`  note no calls/${p.pkg.name.replace(/^@[^/]+\//, "")}.ts yet: imports and types only`);
  for (const example of examples) step(`README example (${example.file})`, () => run(process.execPath, [example.file], dir).trim().split("\n").at(-1));
  if (!examples.length) console.log("  note the README marks no example <!-- runnable --> : not run");
  return dir;
}

/**
 * Code blocks of the installed README (what npm shows) that the author marked runnable: a `<!-- runnable -->`
 * line right before a ts/js fence. They run in the consumer project, so they may use only the package, its
 * dependencies, Node and the files the package ships.
 */
function readmeExamples(readmePath) {
  if (!existsSync(readmePath)) return [];
  const readme = readFileSync(readmePath, "utf8");
  return [...readme.matchAll(/^<!-- runnable -->\s*\n```(ts|typescript|js|javascript|mjs)\s*\n([\s\S]*?)^```/gm)].map((m) => ({
    lang: /^t/.test(m[1]) ? "ts" : "js",
    code: m[2],
  }));
}

function checkCli(dir) {
  const bin = join(dir, "node_modules", ".bin", process.platform === "win32" ? "litee.cmd" : "litee");
  const sample = join(dir, "node_modules", "@lora-litee", "data", "sample", "arena-sample.csv");
  step("litee --help (installed bin)", () => {
    const out = run(bin, ["--help"], dir);
    if (!/Usage: litee/.test(out)) throw new Error(`litee --help printed no usage line:\n${out}`);
    return out.split("\n")[0];
  });
  step("litee data inspect <bundled arena sample>", () => {
    if (!existsSync(sample)) throw new Error(`the bundled sample is not in the installed @lora-litee/data: ${sample}`);
    const out = run(bin, ["data", "inspect", sample], dir);
    if (!/\b\d+\s+rows?\b|rows/i.test(out)) throw new Error(`litee data inspect printed no row count:\n${out}`);
    return out.split("\n").find((l) => /rows/i.test(l))?.trim();
  });
}

const selected = packages.filter((p) => !only || only.some((o) => p.pkg.name === o || p.pkg.name.endsWith(`/${o}`)));
for (const p of selected) {
  const dir = checkPackage(p);
  if (p.pkg.bin?.litee) checkCli(dir);
}
if (!keep) rmSync(work, { recursive: true, force: true });
else console.log(`\nkept ${work}`);
console.log(`\nconsumer-test: ${selected.length} packages, ${failures} failed steps, ${((Date.now() - started) / 1000).toFixed(0)} s`);
if (failures) process.exitCode = 1;
