import { packageBuild } from "../../tools/build/tsup.js";

export default packageBuild({ index: "src/index.ts" });
