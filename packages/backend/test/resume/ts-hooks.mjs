// Lets a plain `node --experimental-transform-types` child run the package sources the way vitest does:
// `@lora-litee/<pkg>` → packages/<pkg>/src/index.ts, and `./x.js` imported from a .ts file → `./x.ts`.
import { existsSync } from "node:fs";
import { registerHooks } from "node:module";
import { URL, fileURLToPath, pathToFileURL } from "node:url";

const packages = fileURLToPath(new URL("../../../", import.meta.url));

registerHooks({
  resolve(specifier, context, next) {
    const workspace = /^@lora-litee\/([a-z-]+)$/.exec(specifier);
    if (workspace && existsSync(`${packages}${workspace[1]}/src/index.ts`)) {
      return { url: pathToFileURL(`${packages}${workspace[1]}/src/index.ts`).href, shortCircuit: true };
    }
    if (specifier.startsWith(".") && specifier.endsWith(".js") && context.parentURL?.endsWith(".ts")) {
      const url = new URL(`${specifier.slice(0, -3)}.ts`, context.parentURL);
      if (existsSync(fileURLToPath(url))) return { url: url.href, shortCircuit: true };
    }
    return next(specifier, context);
  },
});
