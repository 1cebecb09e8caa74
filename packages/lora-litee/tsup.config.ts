import { packageBuild } from "../../tools/build/tsup.js";

// The library entry ships as ESM + CJS; the `litee` bin is ESM only (it is run, never required).
export default [packageBuild({ index: "src/index.ts" }), packageBuild({ cli: "src/cli.ts" }, { format: ["esm"], dts: false, clean: false })];
