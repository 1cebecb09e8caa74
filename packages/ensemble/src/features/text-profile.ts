/** Words: runs of letters/digits, with an inner apostrophe ("don't"), lower-cased for set comparisons. */
const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu;
const BULLET = /^[ \t]*[-*•+][ \t]+\S/gm;
const NUMBERED = /^[ \t]*\d{1,3}[.)][ \t]+\S/gm;
const HEADER = /^[ \t]{0,3}#{1,6}[ \t]+\S/gm;
const BOLD = /\*\*(?=\S)[^*\n]+?\*\*|__(?=\S)[^_\n]+?__/g;
const FENCE = /^[ \t]*(?:```|~~~)/gm;
const SENTENCE_END = /[.!?。！？]+(?=\s|$)/gu;
const DIGIT = /\p{Nd}/gu;

/**
 * Refusals and apologies as they open an answer, in the languages common in the arena data (English, Spanish,
 * French, German, Portuguese, Italian, Russian, Chinese, Japanese, Korean). Matched on the first 300 characters only:
 * an apology deep inside a long answer is usually politeness, not a refusal.
 */
const REFUSAL = new RegExp(
  [
    "\\bI(?:'m| am) sorry\\b",
    "\\bI apologi[sz]e\\b",
    "\\bsorry, (?:but )?I\\b",
    "\\bas an AI\\b",
    "\\bas a(?:n AI)? language model\\b",
    "\\bI (?:cannot|can't|can ?not|won't|will not|am unable to|'m unable to|am not able to|'m not able to)\\b",
    "\\bI'?m not (?:able|allowed|permitted) to\\b",
    "\\blo siento\\b",
    "\\bno puedo\\b",
    "\\bdésolé",
    "\\bje ne peux pas\\b",
    "\\bes tut mir leid\\b",
    "\\bich kann (?:nicht|keine)\\b",
    "\\bdesculpe\\b",
    "\\bnão posso\\b",
    "\\bmi dispiace\\b",
    "\\bnon posso\\b",
    "извините",
    "к сожалению",
    "я не могу",
    "抱歉",
    "对不起",
    "我不能",
    "我无法",
    "申し訳",
    "できません",
    "죄송",
  ].join("|"),
  "iu",
);

/** Everything the rich features need from one text, computed in one pass of regexes. */
export interface TextProfile {
  /** UTF-16 code units. */
  readonly chars: number;
  readonly words: number;
  /** Distinct lower-cased words. */
  readonly vocabulary: ReadonlySet<string>;
  readonly newlines: number;
  readonly codeFences: number;
  readonly bullets: number;
  readonly numbered: number;
  readonly headers: number;
  readonly bold: number;
  readonly sentences: number;
  readonly digits: number;
  readonly refusal: boolean;
  readonly empty: boolean;
}

export function profileText(text: string): TextProfile {
  const words = text.match(WORD) ?? [];
  const vocabulary = new Set<string>();
  for (const w of words) vocabulary.add(w.toLowerCase());
  const trimmed = text.trim();
  return {
    chars: text.length,
    words: words.length,
    vocabulary,
    newlines: count(text, /\n/g),
    codeFences: count(text, FENCE),
    bullets: count(text, BULLET),
    numbered: count(text, NUMBERED),
    headers: count(text, HEADER),
    bold: count(text, BOLD),
    sentences: count(trimmed, SENTENCE_END),
    digits: count(text, DIGIT),
    refusal: REFUSAL.test(trimmed.slice(0, 300)),
    empty: trimmed.length === 0,
  };
}

function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

/** |A ∩ B| / |A ∪ B|, and 0 when both are empty. */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let common = 0;
  for (const w of small) if (large.has(w)) common++;
  return common / (a.size + b.size - common);
}
