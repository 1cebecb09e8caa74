import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { ModelConfigError } from "./config-error.js";

/** Reads `<dir>/config.json` as JSON; a missing or malformed file is a `ModelConfigError` naming it. */
export async function readConfigJson(dir: string): Promise<{ path: string; json: unknown }> {
  const path = join(dir, "config.json");
  try {
    return { path, json: JSON.parse(await readFile(path, "utf8")) };
  } catch (error) {
    throw new ModelConfigError(path, "(file)", `cannot be read as JSON: ${(error as Error).message}`);
  }
}
