// check-package <packageDir>: checks the tarball a package would publish.
//  1. publint --strict on the packed files (exports map, formats, types paths, files field);
//  2. attw (are-the-types-wrong) on the same tarball: types resolve under node16 (CJS and ESM) and bundler;
//  3. the packed file list against an allow-list: package.json, README.md, LICENSE, CHANGELOG.md and dist/ only —
//     never sources, tests or fixtures — and README.md / LICENSE must be there, the README with an install line
//     and a ts/js example that imports the package.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { publint } from "publint";
import { formatMessage } from "publint/utils";
import { packPackage, tarballFiles } from "./pack.js";

const here = dirname(fileURLToPath(import.meta.url));
const REQUIRED = ["package.json", "README.md", "LICENSE"];
const ALLOWED = [/^package\.json$/, /^README\.md$/, /^LICENSE$/, /^CHANGELOG\.md$/, /^dist\//];
const FORBIDDEN = [/(^|\/)(src|test|tests|__tests__|fixtures?|__fixtures__)\//, /\.(test|spec)\.[cm]?[jt]sx?(\.map)?$/];

const EXTRAS = JSON.parse(readFileSync(join(here, "allow-list.json"), "utf8"));

/** Files that break the allow-list, each with the reason; `extras` are the package's entries in allow-list.json. */
export function fileListProblems(files, extras = {}) {
  const problems = [];
  const extra = (file) => Object.keys(extras).some((e) => (e.endsWith("/") ? file.startsWith(e) : file === e));
  for (const required of REQUIRED) if (!files.includes(required)) problems.push(`${required} is missing from the tarball`);
  for (const file of files) {
    if (FORBIDDEN.some((re) => re.test(file))) problems.push(`${file} looks like a source, test or fixture file`);
    else if (!ALLOWED.some((re) => re.test(file)) && !extra(file)) {
      problems.push(`${file} is not in the allow-list (dist/, README.md, LICENSE, CHANGELOG.md, package.json, or tools/package-checks/allow-list.json)`);
    }
  }
  return problems;
}

/**
 * What the README on npm must show: an install line for this package and a code example that imports it.
 * Returns the missing parts.
 */
export function readmeProblems(readme, name) {
  const problems = [];
  const escaped = name.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  if (!new RegExp(`(npm (install|i)|pnpm add|yarn add) (-[^\\s]+ )*${escaped}(\\s|$)`, "m").test(readme)) problems.push(`README.md has no install line (npm install ${name})`);
  const blocks = [...readme.matchAll(/^```(?:ts|typescript|js|javascript|mjs)\s*\n([\s\S]*?)^```/gm)].map((m) => m[1]);
  if (!blocks.some((code) => new RegExp(`from ["']${escaped}(/[^"']*)?["']|require\\(["']${escaped}`).test(code))) {
    problems.push(`README.md has no ts/js example that imports ${name}`);
  }
  return problems;
}

async function runPublint(tarball) {
  const data = readFileSync(tarball);
  const { messages, pkg } = await publint({
    strict: true,
    pack: { tarball: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) },
  });
  for (const m of messages) console.log(`  publint ${m.type}: ${formatMessage(m, pkg, { color: false })}`);
  return messages.filter((m) => m.type !== "suggestion").length;
}

function runAttw(tarball) {
  const cliPackage = join(here, "node_modules/@arethetypeswrong/cli/package.json");
  const bin = join(dirname(cliPackage), JSON.parse(readFileSync(cliPackage, "utf8")).bin.attw);
  // Profile node16: node10 resolution ignores exports maps, so it cannot see subpath entries such as "/node";
  // these packages need Node >= 22.12 (engines), where every resolver TypeScript offers for it reads exports.
  const result = spawnSync(process.execPath, [bin, tarball, "--profile", "node16", "--format", "ascii"], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" } });
  const output = `${result.stdout}${result.stderr}`.trim();
  if (result.status !== 0) console.log(output.replace(/^/gm, "  attw: "));
  return result.status === 0 ? 0 : 1;
}

async function main() {
  const packageDir = resolve(process.argv[2] ?? ".");
  const name = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")).name;
  const tarball = packPackage(packageDir);
  try {
    const files = tarballFiles(tarball);
    const readme = join(packageDir, "README.md");
    const listProblems = [...fileListProblems(files, EXTRAS[name]), ...(existsSync(readme) ? readmeProblems(readFileSync(readme, "utf8"), name) : [])];
    for (const p of listProblems) console.log(`  files: ${p}`);
    const publintErrors = await runPublint(tarball);
    const attwErrors = runAttw(tarball);
    const failed = listProblems.length + publintErrors + attwErrors;
    console.log(`check-package ${name}: ${files.length} files packed; files and README ${listProblems.length ? "FAILED" : "ok"}, publint --strict ${publintErrors ? "FAILED" : "ok"}, attw ${attwErrors ? "FAILED" : "ok"}`);
    if (failed) process.exitCode = 1;
  } finally {
    rmSync(dirname(tarball), { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
