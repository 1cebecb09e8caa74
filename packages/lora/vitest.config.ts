import { packageTests } from "../../tools/build/vitest.js";

export default packageTests("@lora-litee/lora");
