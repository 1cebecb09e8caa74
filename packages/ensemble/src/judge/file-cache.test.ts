import { mkdtemp, readdir, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { CachedJudgeAnswer } from "./cache.js";
import { FileJudgeCache } from "./file-cache.js";

const entry: CachedJudgeAnswer = {
  verdict: "tie",
  reply: "tie",
  topLogprobs: [{ token: "tie", logprob: -0.2 }],
  requests: 2,
  promptTokens: 120,
  completionTokens: 3,
};
const key = "ab".padEnd(64, "0");
let dir: string | undefined;
afterEach(async () => dir && rm(dir, { recursive: true, force: true }));

describe("FileJudgeCache", () => {
  it("stores one file per key under its first two hex digits and reads it back", async () => {
    dir = await mkdtemp(join(tmpdir(), "litee-judge-cache-"));
    const cache = new FileJudgeCache(join(dir, "nested"));
    expect(await cache.get(key)).toBeUndefined();
    await cache.set(key, entry);
    expect(await readdir(join(dir, "nested", "ab"))).toEqual([`${key}.json`]);
    expect(await new FileJudgeCache(join(dir, "nested")).get(key)).toEqual(entry);
  });

  it("counts an unreadable entry, treats it as missing, and overwrites it", async () => {
    dir = await mkdtemp(join(tmpdir(), "litee-judge-cache-"));
    await mkdir(join(dir, "ab"));
    await writeFile(join(dir, "ab", `${key}.json`), '{"verdict": "maybe"}');
    const cache = new FileJudgeCache(dir);
    expect(await cache.get(key)).toBeUndefined();
    expect(cache.unreadable).toBe(1);
    await cache.set(key, entry);
    expect(await cache.get(key)).toEqual(entry);
    expect(cache.unreadable).toBe(1);
  });
});
