import { writeFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * The smallest tokenizer a fixture accepts: only `<unk>`, `<s>`, `</s>`. Benchmarks feed random ids, so the fixture's
 * vocabulary size is set separately and nothing real needs to be bundled.
 */
export async function writeTinyTokenizer(dir: string): Promise<void> {
  const vocab = { "<unk>": 0, "<s>": 1, "</s>": 2 };
  const added = Object.entries(vocab).map(([content, id]) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }));
  await writeFile(join(dir, "tokenizer.json"), JSON.stringify({ version: "1.0", added_tokens: added, model: { type: "WordLevel", vocab, unk_token: "<unk>" } }));
  await writeFile(join(dir, "tokenizer_config.json"), JSON.stringify({ bos_token: "<s>", eos_token: "</s>", unk_token: "<unk>" }));
}
