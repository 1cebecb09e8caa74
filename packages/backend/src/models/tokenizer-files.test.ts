import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { TokenizerFilesError, copyTokenizerFiles, readTokenizerSpecials, tokenizerSpecials } from "./tokenizer-files.js";

// <repo root>/../shared, as CI lays it out beside a fresh clone
const tokenizers = fileURLToPath(new URL("../../../../../shared/tokenizers/", import.meta.url));

describe("tokenizerSpecials", () => {
  it("reads the shared Llama tokenizer: 32,000 ids, its declared pad <unk>, bos <s>, eos </s>", async () => {
    expect(await readTokenizerSpecials(join(tokenizers, "llama"))).toEqual({
      vocabSize: 32000,
      padTokenId: 0,
      padSource: "pad_token",
      bosTokenId: 1,
      eosTokenId: 2,
    });
  });

  it("counts GPT-2's added tokens in the vocabulary and pads with its unk token", async () => {
    expect(await readTokenizerSpecials(join(tokenizers, "gpt2"))).toEqual({
      vocabSize: 50295,
      padTokenId: 50256,
      padSource: "unk_token",
      bosTokenId: 50256,
      eosTokenId: 50256,
    });
  });

  const tokenizer = { model: { vocab: { a: 0, b: 1, "</s>": 2 } }, added_tokens: [{ id: 5, content: "<x>" }] };

  it("falls back to <unk>, then eos, when no pad token is declared", () => {
    const withUnk = { model: { vocab: [["<unk>", 0], ["a", -1]] } };
    expect(tokenizerSpecials(withUnk, null)).toMatchObject({ vocabSize: 2, padTokenId: 0, padSource: "unk_token" });
    expect(tokenizerSpecials(tokenizer, { eos_token: { content: "</s>" } })).toMatchObject({ vocabSize: 6, padTokenId: 2, padSource: "eos_token" });
  });

  it("names what is wrong with a tokenizer that cannot serve a model", () => {
    expect(() => tokenizerSpecials(tokenizer, null)).toThrow(/no pad, unk or eos token/);
    expect(() => tokenizerSpecials(tokenizer, { pad_token: "<pad>" })).toThrow(new TokenizerFilesError('tokenizer_config.json: pad_token "<pad>" is not in tokenizer.json\'s vocabulary'));
    expect(() => tokenizerSpecials({ vocab: {} }, null)).toThrow(/"model" object/);
  });
});

describe("copyTokenizerFiles", () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

  it("copies the files that exist and requires tokenizer.json", async () => {
    const to = await mkdtemp(join(tmpdir(), "tok-"));
    dirs.push(to);
    const copied = await copyTokenizerFiles(join(tokenizers, "llama"), to);
    expect(copied).toEqual(["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"]);
    expect((await readdir(to)).sort()).toEqual(["special_tokens_map.json", "tokenizer.json", "tokenizer_config.json"]);
    await expect(copyTokenizerFiles(to + "-missing", to)).rejects.toThrow(/needs tokenizer.json/);
  });
});
