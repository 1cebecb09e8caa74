import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { createTokenizer, loadArena, type TextTokenizer } from "@lora-litee/data";
import { beforeAll, describe, expect, it } from "vitest";
import { ExampleError, encodeExamples } from "./examples.js";

const shared = fileURLToPath(new URL("../../../../../shared/", import.meta.url));
let tokenizer: TextTokenizer;

beforeAll(async () => {
  const json = JSON.parse(await readFile(`${shared}tokenizers/llama/tokenizer.json`, "utf8"));
  const config = JSON.parse(await readFile(`${shared}tokenizers/llama/tokenizer_config.json`, "utf8"));
  tokenizer = createTokenizer(json, config, "llama");
});

const csv = [
  "id,model_a,model_b,prompt,response_a,response_b,winner_model_a,winner_model_b,winner_tie",
  `1,m1,m2,"[""Hi""]","[""Hello there""]","[""Hey""]",1,0,0`,
  `2,m1,m2,"[""Add 2 and 2""]","[""It is 4""]","[""${"four ".repeat(60).trim()}""]",0,0,1`,
].join("\n");

async function table() {
  return (await loadArena(csv)).table;
}

describe("encodeExamples", () => {
  it("formats each row with the template and Llama's <s> prefix, keeping labels and lengths", async () => {
    const encoded = encodeExamples(await table(), tokenizer, { maxLength: 64 });
    expect(encoded.sequences).toHaveLength(2);
    expect(encoded.sequences[0][0]).toBe(1);
    expect(Array.from(encoded.labels)).toEqual([0, 2]);
    expect(Array.from(encoded.lengths)).toEqual(encoded.sequences.map((s) => s.length));
    expect(encoded.lengths[1]).toBe(64);
    expect(encoded.truncatedExamples).toBe(1);
    expect(encoded.truncatedTokens).toBeGreaterThan(0);
  });

  it("adds swapped copies after the originals with labels mapped A ↔ B", async () => {
    const plain = encodeExamples(await table(), tokenizer, { maxLength: 64 });
    const swapped = encodeExamples(await table(), tokenizer, { maxLength: 64, swap: true });
    expect(Array.from(swapped.labels)).toEqual([0, 2, 1, 2]);
    expect(Array.from(swapped.sourceRows)).toEqual([0, 1, 0, 1]);
    expect(Array.from(swapped.swapped)).toEqual([0, 0, 1, 1]);
    expect(swapped.sequences[0]).toEqual(plain.sequences[0]);
    expect(swapped.sequences[2]).not.toEqual(plain.sequences[0]);
    expect(swapped.lengths[2]).toBe(plain.lengths[0]);
  });

  it("refuses unlabelled rows for training, naming the row", async () => {
    const unlabelled = csv.replace("1,0,0", "0,0,0");
    const { table } = await loadArena(unlabelled);
    expect(() => encodeExamples(table, tokenizer, { maxLength: 64 })).toThrow(ExampleError);
    expect(() => encodeExamples(table, tokenizer, { maxLength: 64 })).toThrow(/id "1"/);
    expect(encodeExamples(table, tokenizer, { maxLength: 64, requireLabels: false }).labels[0]).toBe(-1);
  });
});
