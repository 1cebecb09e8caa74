import { packageBuild } from "../../tools/build/tsup.js";

export default packageBuild({ index: "src/index.ts", node: "src/node.ts" });
