// api-report <packageDir> [--update]: one api-extractor report per public entry point, committed beside the
// package as api/<name>[-<subpath>].api.md. Without --update (CI) it fails when the built .d.ts no longer matches
// the committed report, so a public API change always shows up in review. Regenerate with:
//   pnpm nx run-many -t api-report -c update
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Extractor, ExtractorConfig } from "@microsoft/api-extractor";
import { publicEntries } from "./entries.js";

const packageDir = resolve(process.argv[2] ?? ".");
const update = process.argv.includes("--update");
const { pkg, entries } = publicEntries(packageDir);
const unscoped = pkg.name.replace(/^@[^/]+\//, "");
const tempFolder = mkdtempSync(join(tmpdir(), "litee-api-"));
let failures = 0;
if (update) mkdirSync(join(packageDir, "api"), { recursive: true });

for (const entry of entries) {
  const reportFileName = `${unscoped}${entry.suffix}.api.md`;
  const config = ExtractorConfig.prepare({
    configObjectFullPath: join(packageDir, "api-extractor.json"), // virtual: the config lives here, not in a file
    packageJsonFullPath: join(packageDir, "package.json"),
    configObject: {
      projectFolder: packageDir,
      mainEntryPointFilePath: join(packageDir, entry.types),
      bundledPackages: [],
      compiler: {
        overrideTsconfig: {
          compilerOptions: { target: "ES2023", lib: ["ES2023", "DOM"], module: "NodeNext", moduleResolution: "NodeNext", types: ["node"], skipLibCheck: true, strict: true },
          files: [join(packageDir, entry.types)],
        },
      },
      apiReport: { enabled: true, reportFileName, reportFolder: join(packageDir, "api"), reportTempFolder: tempFolder, includeForgottenExports: false },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      messages: {
        compilerMessageReporting: { default: { logLevel: "error" } },
        extractorMessageReporting: {
          default: { logLevel: "warning" },
          // No @public/@beta tags in this project: every export of an entry point is public.
          "ae-missing-release-tag": { logLevel: "none" },
          // Types reached through an export but not exported themselves are listed in the report, not fatal.
          "ae-forgotten-export": { logLevel: "none", addToApiReportFile: true },
          // Missing doc comments fail the docs target (typedoc), which also knows about re-exports' docs.
          "ae-undocumented": { logLevel: "none" },
          "ae-unresolved-link": { logLevel: "none" },
        },
        // Doc comments are checked by typedoc (docs target); TSDoc's stricter syntax rules would only add noise.
        tsdocMessageReporting: { default: { logLevel: "none" } },
      },
    },
  });
  const result = Extractor.invoke(config, { localBuild: update, showVerboseMessages: false, messageCallback: quietNoise });
  const label = `${pkg.name}${entry.subpath === "." ? "" : entry.subpath.slice(1)}`;
  if (!result.succeeded || (!update && result.apiReportChanged)) {
    failures++;
    printDrift(join(packageDir, "api", reportFileName), join(tempFolder, reportFileName));
    console.error(`api-report ${label}: ${result.apiReportChanged ? `api/${reportFileName} differs from the built API` : "failed"}` +
      ` (${result.errorCount} errors, ${result.warningCount} warnings).` +
      (update ? "" : ` If the change is intended, run: pnpm nx run ${pkg.nx?.name ?? unscoped}:api-report -c update, and commit api/${reportFileName}.`));
  } else {
    console.log(`api-report ${label}: api/${reportFileName} ${update && result.apiReportChanged ? "updated" : "up to date"}`);
  }
}
rmSync(tempFolder, { recursive: true, force: true });
if (failures) process.exitCode = 1;

/** The lines that differ between the committed report and the one just built (a short, order-aware summary). */
function printDrift(committedPath, builtPath) {
  if (!existsSync(builtPath)) return;
  const committed = existsSync(committedPath) ? readFileSync(committedPath, "utf8").split("\n") : [];
  const built = readFileSync(builtPath, "utf8").split("\n");
  const inCommitted = new Set(committed);
  const inBuilt = new Set(built);
  const lines = [...committed.filter((l) => !inBuilt.has(l)).map((l) => `- ${l}`), ...built.filter((l) => !inCommitted.has(l)).map((l) => `+ ${l}`)];
  console.error(lines.slice(0, 40).join("\n") + (lines.length > 40 ? `\n… ${lines.length - 40} more changed lines` : ""));
}

/** api-extractor prints its TypeScript version banner as info; keep the output to what needs acting on. */
function quietNoise(message) {
  if (message.logLevel === "info" || message.logLevel === "verbose") message.handled = true;
  // The missing/changed report message is replaced by printDrift's summary and our own one-line verdict.
  if (message.messageId === "console-api-report-missing" || message.messageId === "console-api-report-copied") message.handled = true;
}
