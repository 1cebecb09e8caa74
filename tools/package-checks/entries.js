// A package's public entry points, read from its exports map: one per subpath (".", "./node", …).
import { readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Entries of the exports map with their ESM types file and the source file it is built from
 * (tsup maps src/<name>.ts to dist/<name>.js and dist/<name>.d.ts). `./package.json` is left out.
 */
export function publicEntries(packageDir) {
  const pkg = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8"));
  const entries = [];
  for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
    if (subpath === "./package.json") continue;
    const types = target?.import?.types ?? target?.types;
    if (typeof types !== "string") throw new Error(`${packageDir}/package.json: exports["${subpath}"] has no import.types; expected the nested import/require shape`);
    const base = types.replace(/^\.\/(dist|lib)\//, "").replace(/\.d\.ts$/, "");
    entries.push({ subpath, types, source: `src/${base}.ts`, suffix: subpath === "." ? "" : `-${subpath.slice(2).replaceAll("/", "-")}` });
  }
  return { pkg, entries };
}
