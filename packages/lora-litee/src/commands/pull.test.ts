import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { serveHubFolder, writeFixture, type HubFolderServer } from "@lora-litee/backend";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runLitee } from "../testing/run-litee.js";
import { progressLine } from "./pull.js";

// <repo root>/../shared
const llamaTokenizer = fileURLToPath(new URL("../../../../../shared/tokenizers/llama/", import.meta.url));
let root: string;
let server: HubFolderServer;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "litee-pull-"));
  await writeFixture(join(root, "hub"), { tokenizerDir: llamaTokenizer, hidden: 16, layers: 1, heads: 2, kvHeads: 1, intermediate: 32 });
  server = await serveHubFolder(join(root, "hub"), { repo: "org/tiny", revision: "v2" });
});
afterAll(async () => {
  await server.close();
  await rm(root, { recursive: true, force: true });
});

describe("litee pull", () => {
  it("downloads the model folder from the given endpoint and revision", async () => {
    const out = join(root, "out");
    const run = await runLitee("pull", "org/tiny", out, "--revision", "v2", "--endpoint", server.url);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("5 files from org/tiny@v2");
    // not a TTY under the test: one line per finished file, the last at 100%
    expect(run.stderr.trim().split("\n").at(-1)).toMatch(/^\[#{24}\] 100% /);
    expect(await readFile(join(out, "model.safetensors"))).toEqual(await readFile(join(root, "hub/model.safetensors")));
  });

  it("fails naming the revision the hub does not have", async () => {
    const run = await runLitee("pull", "org/tiny", join(root, "x"), "--revision", "nope", "--endpoint", server.url, "--no-progress");
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain("org/tiny@nope: cannot list the repo at http://127.0.0.1:");
    expect(run.stderr).toContain("RevisionNotFound");
  });

  it("draws the bar from bytes over total", () => {
    expect(progressLine({ file: "model.safetensors", fileBytes: 1, fileSize: 2, bytes: 2 ** 20, totalBytes: 4 * 2 ** 20 })).toBe(`[${"#".repeat(6)}${".".repeat(18)}]  25% 1.0/4.0 MiB model.safetensors`);
  });
});
