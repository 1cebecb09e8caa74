import { copyFile, readFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * What a model folder needs from its tokenizer: the vocabulary size the embedding must cover and the special ids
 * the config names. Read from the Hugging Face files themselves (`tokenizer.json`, `tokenizer_config.json`).
 */
export interface TokenizerSpecials {
  /** One more than the largest id in the model vocabulary and the added tokens. */
  readonly vocabSize: number;
  /** The id padding is written with. */
  readonly padTokenId: number;
  /** Where the pad id came from: the tokenizer's own pad token, else `<unk>`, else the eos token. */
  readonly padSource: "pad_token" | "unk_token" | "eos_token";
  /** Beginning-of-sequence id, null when the tokenizer has none. */
  readonly bosTokenId: number | null;
  /** End-of-sequence id, null when the tokenizer has none. */
  readonly eosTokenId: number | null;
}

/** A tokenizer folder that cannot serve a model: names the file and what is missing or malformed. */
export class TokenizerFilesError extends Error {
  override readonly name = "TokenizerFilesError";
}

/** The tokenizer files copied into a model folder when present; `tokenizer.json` is required. */
export const TOKENIZER_FILE_NAMES = [
  "tokenizer.json",
  "tokenizer_config.json",
  "special_tokens_map.json",
  "vocab.txt",
  "merges.txt",
  "tokenizer.model",
] as const;

/**
 * Finds the vocabulary size and special ids. Llama tokenizers often lack a pad token; we then pad with `<unk>`
 * (never produced by byte-fallback BPE, so it cannot collide with real text) and only without one fall back to
 * eos — with which HF's last-non-pad pooling would skip a trailing eos of the text itself.
 */
export function tokenizerSpecials(tokenizerJson: unknown, tokenizerConfig: unknown, source = "tokenizer.json"): TokenizerSpecials {
  const ids = tokenIds(tokenizerJson, source);
  let vocabSize = 0;
  for (const id of ids.values()) vocabSize = Math.max(vocabSize, id + 1);
  if (vocabSize === 0) throw new TokenizerFilesError(`${source}: no tokens in model.vocab or added_tokens`);
  const config = isObject(tokenizerConfig) ? tokenizerConfig : {};
  const idOf = (field: string): number | null => {
    const token = config[field];
    const content = isObject(token) ? token.content : token;
    if (typeof content !== "string") return null;
    const id = ids.get(content);
    if (id === undefined) throw new TokenizerFilesError(`tokenizer_config.json: ${field} ${JSON.stringify(content)} is not in ${source}'s vocabulary`);
    return id;
  };
  const bosTokenId = idOf("bos_token");
  const eosTokenId = idOf("eos_token");
  const pad = idOf("pad_token");
  const unk = idOf("unk_token") ?? ids.get("<unk>") ?? null;
  if (pad !== null) return { vocabSize, padTokenId: pad, padSource: "pad_token", bosTokenId, eosTokenId };
  if (unk !== null) return { vocabSize, padTokenId: unk, padSource: "unk_token", bosTokenId, eosTokenId };
  if (eosTokenId !== null) return { vocabSize, padTokenId: eosTokenId, padSource: "eos_token", bosTokenId, eosTokenId };
  throw new TokenizerFilesError(`${source}: no pad, unk or eos token to pad with; add pad_token to tokenizer_config.json`);
}

/** Reads `tokenizer.json` (+ `tokenizer_config.json` when present) from `dir`. */
export async function readTokenizerSpecials(dir: string): Promise<TokenizerSpecials> {
  const path = join(dir, "tokenizer.json");
  const tokenizer = await readJson(path, true);
  const config = await readJson(join(dir, "tokenizer_config.json"), false);
  return tokenizerSpecials(tokenizer, config, path);
}

/** Copies the tokenizer files that exist in `from` into `to`; returns the names copied. */
export async function copyTokenizerFiles(from: string, to: string): Promise<string[]> {
  const copied: string[] = [];
  for (const name of TOKENIZER_FILE_NAMES) {
    try {
      await copyFile(join(from, name), join(to, name));
      copied.push(name);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      if (name === "tokenizer.json") throw new TokenizerFilesError(`${join(from, name)}: not found; a tokenizer folder needs tokenizer.json`);
    }
  }
  return copied;
}

async function readJson(path: string, required: boolean): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT" && !required) return null;
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new TokenizerFilesError(`${path}: not found`);
    throw error;
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new TokenizerFilesError(`${path}: not valid JSON (${(error as Error).message})`);
  }
}

/** token → id over `model.vocab` (object for BPE/WordPiece, [piece, score] list for Unigram) and `added_tokens`. */
function tokenIds(json: unknown, source: string): Map<string, number> {
  if (!isObject(json) || !isObject(json.model)) throw new TokenizerFilesError(`${source}: expected a tokenizers JSON with a "model" object`);
  const ids = new Map<string, number>();
  const vocab = json.model.vocab;
  if (Array.isArray(vocab)) {
    vocab.forEach((entry, id) => ids.set(String(Array.isArray(entry) ? entry[0] : entry), id));
  } else if (isObject(vocab)) {
    for (const [token, id] of Object.entries(vocab)) if (typeof id === "number") ids.set(token, id);
  } else {
    throw new TokenizerFilesError(`${source}: model.vocab must be an object or a list, got ${typeof vocab}`);
  }
  for (const added of Array.isArray(json.added_tokens) ? json.added_tokens : []) {
    if (isObject(added) && typeof added.content === "string" && typeof added.id === "number") ids.set(added.content, added.id);
  }
  return ids;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
