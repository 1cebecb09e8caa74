import { Tokenizer } from "@huggingface/tokenizers";
import { DataFormatError } from "./errors.js";

/**
 * A tokenizer reduced to what pair formatting needs: text → ids without special tokens, plus the special ids
 * its config puts around a sequence (BERT: [CLS] … [SEP]; Llama: <s> …; GPT-2: nothing).
 */
export interface TextTokenizer {
  /** Name for reports (the folder name, or what the caller passed). */
  readonly name: string;
  /** Token ids of `text`, without special tokens. */
  encode(text: string): number[];
  /** Special ids that start every sequence. */
  readonly prefix: readonly number[];
  /** Special ids that end every sequence. */
  readonly suffix: readonly number[];
  /** Id used for padding: the config's pad token, else its EOS token, else 0. */
  readonly padId: number;
}

/**
 * Builds a {@link TextTokenizer} from the parsed contents of `tokenizer.json` and `tokenizer_config.json`,
 * using `@huggingface/tokenizers` (the engine inside `@huggingface/transformers`, pure JS). No file or network
 * access: the Node entry's `loadTokenizer(dir)` reads the two files.
 */
export function createTokenizer(tokenizerJson: object, tokenizerConfig: object, name = "tokenizer"): TextTokenizer {
  const tokenizer = new Tokenizer(tokenizerJson, tokenizerConfig);
  const encode = (text: string) => tokenizer.encode(text, { add_special_tokens: false }).ids;
  const { prefix, suffix } = specialsAround(tokenizer, name);
  const config = tokenizerConfig as { pad_token?: unknown; eos_token?: unknown };
  const padId = tokenId(tokenizer, config.pad_token) ?? tokenId(tokenizer, config.eos_token) ?? 0;
  return { name, encode, prefix, suffix, padId };
}

/**
 * The post-processor decides which specials surround a sequence; encoding a probe with and without them and
 * locating the plain ids inside shows exactly what it adds, whatever the tokenizer family.
 */
function specialsAround(tokenizer: Tokenizer, name: string): { prefix: number[]; suffix: number[] } {
  const probe = "hello world";
  const plain: number[] = tokenizer.encode(probe, { add_special_tokens: false }).ids;
  const full: number[] = tokenizer.encode(probe, { add_special_tokens: true }).ids;
  for (let start = 0; start + plain.length <= full.length; start++) {
    if (plain.every((id, i) => full[start + i] === id)) {
      return { prefix: full.slice(0, start), suffix: full.slice(start + plain.length) };
    }
  }
  throw new DataFormatError({
    file: name,
    line: 0,
    field: "post_processor",
    expected: "special tokens only before and after the text",
    found: `ids ${JSON.stringify(full)} around ${JSON.stringify(plain)}`,
  });
}

/** Id of a special token given as a string or as `{content}` (both appear in tokenizer_config.json files). */
function tokenId(tokenizer: Tokenizer, token: unknown): number | undefined {
  const content = typeof token === "string" ? token : (token as { content?: unknown } | null)?.content;
  return typeof content === "string" ? tokenizer.token_to_id(content) : undefined;
}
