import { packageBuild } from "../../tools/build/tsup.js";

// shims: the node entry finds its bundled sample through import.meta.url, which the CJS build must emulate.
// splitting: both entries share one copy of the core modules, so `instanceof DataFormatError` holds for errors
// thrown through "@lora-litee/data/node".
export default packageBuild({ index: "src/index.ts", node: "src/node.ts" }, { shims: true, splitting: true });
