import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readShardedSafetensors, writeShardedSafetensors } from "@lora-litee/lora/node";
import { parseSafetensors } from "@lora-litee/lora";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeFixture } from "../models/fixture.js";
import { loadHfModel } from "../models/hf-model.js";
import { serveHubFolder } from "./hub-folder-server.js";
import { PullError, pullModel, type PullProgress } from "./pull.js";

const tokenizerDir = fileURLToPath(new URL("../../../../../shared/tokenizers/llama/", import.meta.url));
let root: string;
let single: string;
let sharded: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "pull-"));
  single = join(root, "single");
  sharded = join(root, "sharded");
  await writeFixture(single, { tokenizerDir, hidden: 32, layers: 2, heads: 4, kvHeads: 2, intermediate: 48, seed: 9 });
  await writeFixture(sharded, { tokenizerDir, hidden: 32, layers: 2, heads: 4, kvHeads: 2, intermediate: 48, seed: 9 });
  // re-store the weights as shards, as big checkpoints on the hub are
  const tensors = parseSafetensors(new Uint8Array(await readFile(join(sharded, "model.safetensors")))).tensors;
  await rm(join(sharded, "model.safetensors"));
  await writeShardedSafetensors(sharded, tensors, 1_500_000);
  await writeFile(join(sharded, "README.md"), "not pulled\n");
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe("pullModel", () => {
  it("downloads config, weights and tokenizer files into a folder loadHfModel reads, with progress", async () => {
    const server = await serveHubFolder(single, { repo: "tiny/llama" });
    try {
      const events: PullProgress[] = [];
      const out = join(root, "out-single");
      const result = await pullModel("tiny/llama", out, { endpoint: server.url, onProgress: (p) => events.push(p) });
      expect([...result.files].sort()).toEqual(["config.json", "model.safetensors", "special_tokens_map.json", "tokenizer.json", "tokenizer_config.json"]);
      expect(await readFile(join(out, "model.safetensors"))).toEqual(await readFile(join(single, "model.safetensors")));
      expect((await loadHfModel(out)).config.hiddenSize).toBe(32);
      const last = events[events.length - 1];
      expect(last.bytes).toBe(last.totalBytes);
      expect(events.every((e, i) => i === 0 || e.bytes >= events[i - 1].bytes)).toBe(true);

      // resolved once, then every file fetched from that commit
      expect(result.commit).toBe(server.commit);
      expect(server.requests.filter((r) => r.includes("/resolve/")).every((r) => r.includes(`/resolve/${server.commit}/`))).toBe(true);

      const again = await pullModel("tiny/llama", out, { endpoint: server.url });
      expect(again.downloadedBytes).toBe(0);
      expect(again.skipped.length).toBe(5);

      // a local file of the right size but other bytes is not the hub's: fetched again
      const config = await readFile(join(out, "config.json"), "utf8");
      await writeFile(join(out, "config.json"), config.replace('"model_type": "llama"', '"model_type": "LLAMA"'));
      const third = await pullModel("tiny/llama", out, { endpoint: server.url });
      expect(third.skipped).not.toContain("config.json");
      expect(await readFile(join(out, "config.json"), "utf8")).toBe(config);
    } finally {
      await server.close();
    }
  });

  it("pulls sharded weights and leaves other files alone", async () => {
    const server = await serveHubFolder(sharded, { repo: "tiny/sharded", revision: "v1" });
    try {
      const out = join(root, "out-sharded");
      await pullModel("tiny/sharded", out, { endpoint: server.url, revision: "v1" });
      const files = await readdir(out);
      expect(files).toContain("model.safetensors.index.json");
      expect(files.filter((f) => f.endsWith(".safetensors")).length).toBeGreaterThan(1);
      expect(files).not.toContain("README.md");
      expect((await readShardedSafetensors(out)).size).toBe((await readShardedSafetensors(sharded)).size);
      expect((await loadHfModel(out)).weights.size).toBe((await loadHfModel(single)).weights.size);
      await expect(pullModel("tiny/sharded", join(root, "x"), { endpoint: server.url, revision: "main" })).rejects.toThrow();
    } finally {
      await server.close();
    }
  });

  it("resumes a cut download with a Range request and checks the SHA-256", async () => {
    const server = await serveHubFolder(single, { repo: "tiny/llama", cutAfterBytes: 100_000 });
    const out = join(root, "out-resume");
    try {
      await expect(pullModel("tiny/llama", out, { endpoint: server.url })).rejects.toThrow();
      const partial = await readFile(join(out, "model.safetensors.incomplete"));
      expect(partial.length).toBe(100_000);
      const result = await pullModel("tiny/llama", out, { endpoint: server.url });
      // everything but config.json (complete before the cut) and the 100,000 bytes already on disk
      const sizes = await Promise.all(result.files.filter((f) => f !== "config.json").map(async (f) => (await readFile(join(single, f))).length));
      expect(result.downloadedBytes).toBe(sizes.reduce((a, b) => a + b, 0) - 100_000);
      expect(result.skipped).toEqual(["config.json"]);
      expect(server.requests.some((r) => r.includes(`/resolve/${server.commit}/model.safetensors bytes=100000-`))).toBe(true);
      expect(await readFile(join(out, "model.safetensors"))).toEqual(await readFile(join(single, "model.safetensors")));
      expect(await readdir(out)).not.toContain("model.safetensors.incomplete");
    } finally {
      await server.close();
    }
  });

  it("rejects a damaged file and names it", async () => {
    const server = await serveHubFolder(single, { repo: "tiny/llama" });
    const out = join(root, "out-damaged");
    try {
      // a partial file whose bytes differ from the hub's: resuming completes it, the hash catches it
      await pullModel("tiny/llama", out, { endpoint: server.url });
      const good = await readFile(join(out, "model.safetensors"));
      await rm(join(out, "model.safetensors"));
      const bad = Buffer.from(good.subarray(0, 5000));
      bad[4000] ^= 0xff;
      await writeFile(join(out, "model.safetensors.incomplete"), bad);
      await expect(pullModel("tiny/llama", out, { endpoint: server.url })).rejects.toThrow(PullError);
      await expect(pullModel("tiny/llama", out, { endpoint: server.url })).resolves.toMatchObject({ downloadedBytes: good.length });
    } finally {
      await server.close();
    }
  });

  it("says when a repo has no safetensors weights", async () => {
    const dir = join(root, "bin-only");
    await writeFixture(dir, { tokenizerDir, hidden: 16, layers: 1, heads: 2, kvHeads: 1, intermediate: 16 });
    await rm(join(dir, "model.safetensors"));
    await writeFile(join(dir, "pytorch_model.bin"), "x");
    const server = await serveHubFolder(dir, { repo: "tiny/bin" });
    try {
      await expect(pullModel("tiny/bin", join(root, "y"), { endpoint: server.url })).rejects.toThrow("tiny/bin@main: no .safetensors weights (found pytorch_model.bin");
    } finally {
      await server.close();
    }
  });
});
