import type { DenseMatrix } from "../models/feature-matrix.js";
import { joinTurns } from "./pair-text.js";
import type { PairText } from "./pair-text.js";
import { jaccard, profileText } from "./text-profile.js";
import type { TextProfile } from "./text-profile.js";

/** One column of the rich feature matrix. */
export interface FeatureInfo {
  /** Column name, e.g. `log_chars_diff`. */
  readonly name: string;
  /** One line saying what the column measures. */
  readonly doc: string;
  /** How the column changes when A and B are swapped: `negate` (A − B differences) or `keep` (sums, pair-level). */
  readonly swap: "negate" | "keep";
}

interface ResponseMeasure {
  readonly name: string;
  readonly doc: string;
  readonly of: (response: TextProfile, prompt: TextProfile) => number;
}

/** What is measured on each response; each enters the matrix as A − B (`_diff`) and A + B (`_sum`). */
const RESPONSE_MEASURES: readonly ResponseMeasure[] = [
  { name: "log_chars", doc: "log(1 + characters)", of: (r) => Math.log1p(r.chars) },
  { name: "log_words", doc: "log(1 + words)", of: (r) => Math.log1p(r.words) },
  { name: "newlines", doc: "log(1 + line breaks)", of: (r) => Math.log1p(r.newlines) },
  { name: "code_fences", doc: "log(1 + lines opening or closing a ``` / ~~~ code block)", of: (r) => Math.log1p(r.codeFences) },
  { name: "bullets", doc: "log(1 + lines starting with -, *, + or •)", of: (r) => Math.log1p(r.bullets) },
  { name: "numbered", doc: "log(1 + lines starting with '1.' / '1)')", of: (r) => Math.log1p(r.numbered) },
  { name: "headers", doc: "log(1 + markdown header lines, '# …' to '###### …')", of: (r) => Math.log1p(r.headers) },
  { name: "bold", doc: "log(1 + **bold** / __bold__ spans)", of: (r) => Math.log1p(r.bold) },
  { name: "refusal", doc: "1 when an apology / refusal / 'as an AI' opens the answer (first 300 chars, 10 languages)", of: (r) => (r.refusal ? 1 : 0) },
  { name: "digit_ratio", doc: "decimal digits ÷ characters", of: (r) => r.digits / Math.max(r.chars, 1) },
  { name: "type_token", doc: "distinct words ÷ words (0 without words)", of: (r) => (r.words > 0 ? r.vocabulary.size / r.words : 0) },
  { name: "prompt_overlap", doc: "Jaccard overlap of the answer's and the prompt's word sets", of: (r, p) => jaccard(r.vocabulary, p.vocabulary) },
  { name: "sentences", doc: "log(1 + sentence ends: . ! ? 。 ！ ？ before a space or the end)", of: (r) => Math.log1p(r.sentences) },
  { name: "empty", doc: "1 when the answer is empty or only whitespace", of: (r) => (r.empty ? 1 : 0) },
];

/** Pair-level columns, the same for a row and its swap. */
const PAIR_FEATURES: readonly FeatureInfo[] = [
  { name: "prompt_log_chars", doc: "log(1 + characters of the prompt, all turns)", swap: "keep" },
  { name: "turns", doc: "log(number of prompt turns)", swap: "keep" },
  { name: "identical", doc: "1 when the two answers are the same text", swap: "keep" },
];

/** The columns of {@link richFeatures}, in order, each with a name and one line of documentation. */
export const RICH_FEATURES: readonly FeatureInfo[] = [
  ...RESPONSE_MEASURES.flatMap((m): FeatureInfo[] => [
    { name: `${m.name}_diff`, doc: `A − B of ${m.doc}`, swap: "negate" },
    { name: `${m.name}_sum`, doc: `A + B of ${m.doc}`, swap: "keep" },
  ]),
  ...PAIR_FEATURES,
];

/**
 * What a human judge notices — length, structure, refusals, how much of the prompt the answer echoes — for A and
 * for B, as differences and sums. Swapping A and B negates exactly the `_diff` columns and keeps the rest.
 */
export function richFeatures(rows: readonly PairText[]): DenseMatrix {
  const cols = RICH_FEATURES.length;
  const data = new Float64Array(rows.length * cols);
  const measured = new Float64Array(2 * RESPONSE_MEASURES.length);
  rows.forEach((row, i) => {
    const prompt = profileText(joinTurns(row.prompt));
    const textA = joinTurns(row.responseA);
    const textB = joinTurns(row.responseB);
    const a = profileText(textA);
    const b = profileText(textB);
    RESPONSE_MEASURES.forEach((m, j) => {
      measured[2 * j] = m.of(a, prompt);
      measured[2 * j + 1] = m.of(b, prompt);
    });
    const out = i * cols;
    for (let j = 0; j < RESPONSE_MEASURES.length; j++) {
      data[out + 2 * j] = measured[2 * j] - measured[2 * j + 1];
      data[out + 2 * j + 1] = measured[2 * j] + measured[2 * j + 1];
    }
    const pair = out + 2 * RESPONSE_MEASURES.length;
    data[pair] = Math.log1p(prompt.chars);
    data[pair + 1] = Math.log(Math.max(row.prompt.length, 1));
    data[pair + 2] = textA === textB ? 1 : 0;
  });
  return { kind: "dense", rows: rows.length, cols, data };
}
