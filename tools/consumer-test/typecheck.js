// typecheck.js <file…>: type-checks consumer files against the installed packages under moduleResolution node16
// and bundler, as a consumer's tsc would, with the diagnostics that concern us: every consumer file, and every
// declaration file of our own packages (so a types path to a missing file, an import of an undeclared package or
// a broken .d.ts fails). Third-party .d.ts files are left to their authors, as `skipLibCheck` would; checking
// them all also costs minutes (vega-lite's types alone). Both resolutions share one parse cache.
import { createRequire } from "node:module";
import { resolve } from "node:path";

const require = createRequire(import.meta.url);
const ts = require("typescript");
const files = process.argv.slice(2).map((f) => resolve(f));
const parsed = new Map();
const inNodeModules = (name) => /[\\/]node_modules[\\/]/.test(name);
const ours = (name) => /[\\/]node_modules[\\/](@lora-litee[\\/][^\\/]+|lora-litee)[\\/]/.test(name);
let failed = false;

for (const resolution of ["node16", "bundler"]) {
  const bundler = resolution === "bundler";
  const options = {
    target: ts.ScriptTarget.ES2022,
    lib: ["lib.es2023.d.ts", "lib.dom.d.ts"],
    // Node ≥ 22.12 can require() ES modules; TypeScript models that with module nodenext. node16 resolution is
    // what is under test.
    module: bundler ? ts.ModuleKind.Preserve : ts.ModuleKind.NodeNext,
    moduleResolution: bundler ? ts.ModuleResolutionKind.Bundler : ts.ModuleResolutionKind.Node16,
    strict: true,
    noEmit: true,
    types: ["node"],
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, ...rest) => {
    const format = typeof languageVersion === "object" ? languageVersion.impliedNodeFormat : undefined;
    const key = `${fileName}|${format}`;
    if (!parsed.has(key)) parsed.set(key, getSourceFile(fileName, languageVersion, ...rest));
    return parsed.get(key);
  };
  const program = ts.createProgram(files, options, host);
  const checked = program.getSourceFiles().filter((sf) => (inNodeModules(sf.fileName) ? ours(sf.fileName) : !sf.isDeclarationFile));
  const diagnostics = [
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...checked.flatMap((sf) => [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]),
  ];
  if (diagnostics.length) {
    failed = true;
    console.error(`moduleResolution ${resolution}:\n${ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => process.cwd(), getNewLine: () => "\n" })}`);
  } else {
    console.log(`${resolution}: ${checked.length} files (${checked.filter((sf) => sf.isDeclarationFile).length} of our .d.ts)`);
  }
}
if (failed) process.exit(1);
