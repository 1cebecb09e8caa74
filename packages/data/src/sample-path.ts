import { fileURLToPath } from "node:url";

/**
 * Absolute path of the bundled 200-row arena sample (`sample/arena-sample.csv`, see `sample/README.md`).
 * `src/` and `dist/` both sit one level below the package root, so the same relative URL works from either.
 */
export function arenaSamplePath(): string {
  return fileURLToPath(new URL("../sample/arena-sample.csv", import.meta.url));
}
