import { readFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { DataFormatError } from "./errors.js";
import { createTokenizer, type TextTokenizer } from "./tokenizer.js";

/**
 * Loads `tokenizer.json` and `tokenizer_config.json` from a local folder (never the network). A folder without
 * `tokenizer_config.json` gets an empty config: special tokens then come from `tokenizer.json` alone.
 */
export async function loadTokenizer(dir: string): Promise<TextTokenizer> {
  const tokenizerJson = await readJson(join(dir, "tokenizer.json"), true);
  const config = (await readJson(join(dir, "tokenizer_config.json"), false)) ?? {};
  return createTokenizer(tokenizerJson!, config, basename(dir));
}

async function readJson(path: string, required: boolean): Promise<object | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if (!required && (error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  try {
    return JSON.parse(text) as object;
  } catch (error) {
    throw new DataFormatError({ file: path, line: 0, field: "(file)", expected: "JSON", found: (error as Error).message });
  }
}
