// check-package <packageDir>: checks the tarball a package would publish.
//  1. publint --strict on the packed files (exports map, formats, types paths, files field);
//  2. attw (are-the-types-wrong) on the same tarball: types resolve under node10, node16 (CJS and ESM) and bundler;
//  3. the packed file list against an allow-list: package.json, README.md, LICENSE, CHANGELOG.md and dist/ only —
//     never sources, tests or fixtures — and README.md / LICENSE must be there.
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
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
  const result = spawnSync(process.execPath, [bin, tarball, "--format", "ascii", "--no-color"], { encoding: "utf8" });
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
    const listProblems = fileListProblems(files, EXTRAS[name]);
    for (const p of listProblems) console.log(`  files: ${p}`);
    const publintErrors = await runPublint(tarball);
    const attwErrors = runAttw(tarball);
    const failed = listProblems.length + publintErrors + attwErrors;
    console.log(`check-package ${name}: ${files.length} files packed; allow-list ${listProblems.length ? "FAILED" : "ok"}, publint --strict ${publintErrors ? "FAILED" : "ok"}, attw ${attwErrors ? "FAILED" : "ok"}`);
    if (failed) process.exitCode = 1;
  } finally {
    rmSync(dirname(tarball), { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
