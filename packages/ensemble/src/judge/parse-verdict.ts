/** A judge's answer: assistant A better, B better, or a tie. Class indices follow the label order A, B, tie. */
export type Verdict = "A" | "B" | "tie";

/** Class index of each verdict in a probability row `[A, B, tie]`. */
export const VERDICT_CLASS: Readonly<Record<Verdict, 0 | 1 | 2>> = { A: 0, B: 1, tie: 2 };

/** The verdict with A and B exchanged: what a verdict on the swapped pair means for the original. */
export function swapVerdict(verdict: Verdict): Verdict {
  return verdict === "A" ? "B" : verdict === "B" ? "A" : "tie";
}

// Wrapping a model may put around a one-word answer: quotes, brackets, markdown emphasis, a final full stop.
const WRAPPING = /^[\s"'`*_[(]+|[\s"'`*_\]).!:]+$/g;
const EXPLICIT = [/\[\[\s*(A|B|tie)\s*\]\]/gi, /\bverdict\s*[:=]\s*[*_"'[(\s]*(A|B|tie)\b/gi];

function verdictOfWord(word: string): Verdict | undefined {
  const w = word.toLowerCase();
  return w === "a" ? "A" : w === "b" ? "B" : w === "tie" ? "tie" : undefined;
}

/**
 * Reads a verdict from a reply. Accepted forms: the reply is the one word `A`, `B` or `tie` (any case, with
 * quotes, brackets, emphasis or a full stop around it), or it states `[[A]]` / `Verdict: A` forms that all agree.
 * Anything else — prose, several different verdicts — is `undefined`: never guessed.
 */
export function parseVerdict(reply: string): Verdict | undefined {
  const whole = verdictOfWord(reply.replace(WRAPPING, ""));
  if (whole) return whole;
  const found = new Set<Verdict>();
  for (const pattern of EXPLICIT) {
    for (const match of reply.matchAll(pattern)) found.add(verdictOfWord(match[1]!)!);
  }
  return found.size === 1 ? [...found][0] : undefined;
}

/** The verdict a single completion token stands for (`" A"`, `"B"`, `"Tie"`, `"ti"`…), if any. */
export function verdictOfToken(token: string): Verdict | undefined {
  const word = token.replace(WRAPPING, "").toLowerCase();
  // Some tokenizers split "tie" as "ti" + "e"; the first piece already carries the verdict.
  return word === "ti" ? "tie" : verdictOfWord(word);
}

/** One alternative at a completion position, as in OpenAI's `top_logprobs`. */
export interface TopLogprob {
  /** The token text. */
  readonly token: string;
  /** Its natural-log probability. */
  readonly logprob: number;
}

/** No class gets less than this, so one confident wrong verdict costs at most −ln(1e-6) ≈ 13.8 nats of log loss. */
export const PROBABILITY_FLOOR = 1e-6;

/**
 * Turns the top log-probabilities at the verdict position into `[A, B, tie]`: each class sums the probabilities of
 * the tokens that stand for it. A class absent from the list gets the mass the list leaves unexplained, shared
 * between the absent classes but never more than the least likely listed token (it ranked below all of them);
 * then every class is floored at {@link PROBABILITY_FLOOR} and the row renormalised.
 * Returns `undefined` when no listed token stands for a verdict.
 */
export function probabilitiesFromTopLogprobs(top: readonly TopLogprob[]): Float64Array | undefined {
  const p = new Float64Array(3);
  let listed = 0;
  let least = 1;
  let matched = false;
  for (const { token, logprob } of top) {
    const prob = Math.exp(logprob);
    listed += prob;
    least = Math.min(least, prob);
    const verdict = verdictOfToken(token);
    if (verdict) {
      p[VERDICT_CLASS[verdict]]! += prob;
      matched = true;
    }
  }
  if (!matched) return undefined;
  const absent = p.filter((x) => x === 0).length;
  const share = absent > 0 ? Math.min(Math.max(0, 1 - listed) / absent, least) : 0;
  let sum = 0;
  for (let k = 0; k < 3; k++) {
    p[k] = Math.max(p[k] === 0 ? share : p[k]!, PROBABILITY_FLOOR);
    sum += p[k]!;
  }
  for (let k = 0; k < 3; k++) p[k]! /= sum;
  return p;
}

/** One generated token with its alternatives, as in OpenAI's `logprobs.content`. */
export interface TokenLogprobs {
  /** The generated token. */
  readonly token: string;
  /** Its log-probability. */
  readonly logprob: number;
  /** The most likely alternatives at this position (including, usually, the token itself). */
  readonly topLogprobs: readonly TopLogprob[];
}

/**
 * The alternatives at the position where the reply states `verdict`: the first generated token that stands for
 * that same verdict (so `Verdict: A` reads the alternatives of ` A`, not of `Verdict`).
 */
export function verdictPositionLogprobs(
  tokens: readonly TokenLogprobs[],
  verdict: Verdict,
): readonly TopLogprob[] | undefined {
  const at = tokens.find((t) => verdictOfToken(t.token) === verdict);
  if (!at) return undefined;
  const listsItself = at.topLogprobs.some((t) => t.token === at.token);
  return listsItself ? at.topLogprobs : [{ token: at.token, logprob: at.logprob }, ...at.topLogprobs];
}
