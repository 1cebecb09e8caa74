import { fileURLToPath } from "node:url";

/**
 * The bundled Llama tokenizer folder (`assets/tokenizers/llama`, see its README). This file sits one level below
 * the package root in `src/` and, once bundled, in `dist/`, so one relative URL serves both.
 */
export function bundledTokenizerDir(): string {
  return fileURLToPath(new URL("../assets/tokenizers/llama", import.meta.url));
}
