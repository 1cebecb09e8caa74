import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { asCachedJudgeAnswer, type CachedJudgeAnswer, type JudgeCacheStore } from "./cache.js";

/**
 * Judge answers as one JSON file per key under `dir/<first two hex digits>/<key>.json`. Each file is written to a
 * temporary name and renamed into place, so a run killed mid-write leaves either the whole entry or none, and a
 * rerun asks again only for what is missing.
 */
export class FileJudgeCache implements JudgeCacheStore {
  /** Entries found unreadable (hand-edited or foreign files): treated as missing and overwritten — a counted repair. */
  unreadable = 0;

  /** Subfolders known to exist, so that a long run does not ask the file system again for each entry. */
  private readonly made = new Set<string>();

  /** @param dir the cache folder; created on the first write */
  constructor(readonly dir: string) {}

  private path(key: string): string {
    return join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  /** The entry for `key`, or `undefined` when there is none or it is unreadable. */
  async get(key: string): Promise<CachedJudgeAnswer | undefined> {
    let text: string;
    try {
      text = await readFile(this.path(key), "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
    let entry: CachedJudgeAnswer | undefined;
    try {
      entry = asCachedJudgeAnswer(JSON.parse(text));
    } catch {
      entry = undefined;
    }
    if (!entry) this.unreadable += 1;
    return entry;
  }

  /** Writes the entry for `key` atomically (temporary file + rename). */
  async set(key: string, answer: CachedJudgeAnswer): Promise<void> {
    const path = this.path(key);
    const folder = join(this.dir, key.slice(0, 2));
    if (!this.made.has(folder)) {
      await mkdir(folder, { recursive: true });
      this.made.add(folder);
    }
    const temp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    try {
      await writeFile(temp, `${JSON.stringify(answer)}\n`, "utf8");
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }
}
