import { AutoTokenizer } from "@huggingface/transformers";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadArena } from "../src/arena-csv.js";
import { arenaSamplePath } from "../src/sample-path.js";
import { loadTokenizer } from "../src/tokenizer-files.js";
import { TOKENIZERS } from "./paths.js";

const NAMES = ["bert-minilm", "llama", "gpt2"] as const;

async function sampleTexts(): Promise<string[]> {
  const { table } = await loadArena(readFileSync(arenaSamplePath(), "utf8"));
  const texts = ["", "Hello world!", "  leading and trailing  ", "Ünïcödé ☃ 😀 中文 tabs\tand\nnewlines", "<s> [CLS] <|endoftext|>"];
  for (let row = 0; row < 8; row++) texts.push(...(table.get("prompt", row) as string[]), ...(table.get("responseA", row) as string[]));
  return texts;
}

describe("loadTokenizer", () => {
  it.each(NAMES)("%s: ids equal @huggingface/transformers AutoTokenizer, with and without special tokens", async (name) => {
    const dir = join(TOKENIZERS, name);
    const ours = await loadTokenizer(dir);
    const reference = await AutoTokenizer.from_pretrained(dir, { local_files_only: true });
    for (const text of await sampleTexts()) {
      expect(ours.encode(text)).toEqual(reference.encode(text, { add_special_tokens: false }));
      expect([...ours.prefix, ...ours.encode(text), ...ours.suffix]).toEqual(reference.encode(text));
    }
  });

  it("finds each family's special tokens and pad id from its config", async () => {
    const [bert, llama, gpt2] = await Promise.all(NAMES.map((name) => loadTokenizer(join(TOKENIZERS, name))));
    expect([bert.prefix, bert.suffix, bert.padId]).toEqual([[101], [102], 0]); // [CLS] … [SEP], [PAD] = 0
    expect([llama.prefix, llama.suffix]).toEqual([[1], []]); // <s> …
    expect([gpt2.prefix, gpt2.suffix, gpt2.padId]).toEqual([[], [], 50256]); // no specials; pads with <|endoftext|>
    expect(bert.name).toBe("bert-minilm");
  });
});
