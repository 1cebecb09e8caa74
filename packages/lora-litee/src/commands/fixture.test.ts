import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadBertModel, loadGemma2Model, loadHfModel } from "@lora-litee/backend";
import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { runCli } from "../run-cli.js";
import { registerFixtureCommands } from "./fixture.js";

// <repo root>/../shared
const llamaTokenizer = fileURLToPath(new URL("../../../../../shared/tokenizers/llama/", import.meta.url));
const bertTokenizer = fileURLToPath(new URL("../../../../../shared/tokenizers/bert-minilm/", import.meta.url));
let dir: string;

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  // exitOverride before registering: commander copies it into subcommands only when they are created
  const program = new Command("litee").option("--verbose", "", false).exitOverride();
  registerFixtureCommands(program);
  let stdout = "";
  let stderr = "";
  const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    return { code: await runCli(program, ["node", "litee", ...args]), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "litee-fixture-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("litee fixture", () => {
  it("writes a Llama folder that loads back with the requested sizes", async () => {
    const out = join(dir, "tiny");
    const args = ["fixture", out, "--arch", "llama", "--tokenizer", llamaTokenizer, "--hidden", "48", "--layers", "3"];
    const result = await run(...args, "--heads", "6", "--kv-heads", "2", "--intermediate", "80", "--seed", "7");
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toContain("llama 3 layers, hidden 48, 6 heads / 2 KV, vocab 32000");
    const model = await loadHfModel(out);
    expect(model.config).toMatchObject({ hiddenSize: 48, numHiddenLayers: 3, numAttentionHeads: 6, numKeyValueHeads: 2, headDim: 8, intermediateSize: 80, padTokenId: 0 });
    expect(model.hasHead).toBe(true);
    expect(JSON.parse(await readFile(join(out, "config.json"), "utf8")).architectures).toEqual(["LlamaForSequenceClassification"]);
  });

  it("treats bad sizes as usage errors and impossible shapes as failures with the reason", async () => {
    const bad = await run("fixture", join(dir, "x"), "--arch", "llama", "--tokenizer", llamaTokenizer, "--layers", "0");
    expect(bad).toMatchObject({ code: 2, stderr: expect.stringContaining("expected an integer ≥ 1, got \"0\"") });
    expect((await run("fixture", join(dir, "x"), "--arch", "gpt2", "--tokenizer", llamaTokenizer)).code).toBe(2);
    const result = await run("fixture", join(dir, "x"), "--arch", "llama", "--tokenizer", llamaTokenizer, "--heads", "4", "--kv-heads", "3");
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/num_key_value_heads.*must divide num_attention_heads \(4\), got 3/);
  });

  it("writes BERT (with the MiniLM tokenizer) and Gemma-2 folders that load back", async () => {
    const bert = await run("fixture", join(dir, "bert"), "--arch", "bert", "--tokenizer", bertTokenizer, "--hidden", "32", "--layers", "2", "--heads", "4", "--intermediate", "64");
    expect(bert).toMatchObject({ code: 0, stderr: "" });
    expect(bert.stdout).toContain("bert 2 layers, hidden 32, 4 heads, vocab 30522");
    expect((await loadBertModel(join(dir, "bert"))).config).toMatchObject({ hiddenSize: 32, numHiddenLayers: 2, intermediateSize: 64, padTokenId: 0 });
    const gemma = await run("fixture", join(dir, "gemma"), "--arch", "gemma2", "--tokenizer", llamaTokenizer, "--hidden", "32", "--layers", "2", "--heads", "4", "--kv-heads", "2", "--intermediate", "64");
    expect(gemma).toMatchObject({ code: 0, stderr: "" });
    const model = await loadGemma2Model(join(dir, "gemma"));
    expect(model.config).toMatchObject({ hiddenSize: 32, numKeyValueHeads: 2, headDim: 8, slidingLayers: [true, false] });
  });
});
