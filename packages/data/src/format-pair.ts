import { InvalidOptionError } from "./errors.js";
import type { PreferenceRow } from "./schema.js";
import { parseTemplate, type PairPart, type PairTemplate, type TemplateName } from "./template.js";
import type { TextTokenizer } from "./tokenizer.js";

/** Token budget of one formatted pair. */
export interface FormatBudget {
  /** Total length including special tokens and template text. */
  maxLength: number;
  /** Shares of the remaining room for prompt, response A and response B; room a part does not need goes to the others. Defaults to `[0.2, 0.4, 0.4]`. */
  shares?: readonly [number, number, number];
  /** Pad `inputIds` to `maxLength` with the tokenizer's pad id (mask 0). Defaults to `false`. */
  pad?: boolean;
}

/** A pair ready for a model. */
export interface FormattedPair {
  /** Token ids: specials, template text and the (truncated) parts. */
  inputIds: Int32Array;
  /** 1 for real tokens, 0 for padding. */
  attentionMask: Uint8Array;
  /** Tokens cut from each part to fit the budget. */
  lost: Record<PairPart, number>;
}

const PARTS: readonly PairPart[] = ["prompt", "responseA", "responseB"];

/**
 * Formats a pair with a template and truncates each part to its share of the budget. Every turn and every
 * piece of template text is tokenized on its own, so cuts fall exactly on token boundaries. A part that is too
 * long keeps its last turns (the latest exchange matters most) and, from the oldest turn that still partly
 * fits, its first tokens.
 */
export function formatPair(
  row: Pick<PreferenceRow, PairPart>,
  template: TemplateName | string | PairTemplate,
  tokenizer: TextTokenizer,
  budget: FormatBudget,
): FormattedPair {
  const { maxLength, shares, pad } = resolveBudget(budget);
  const { pieces, turnSeparator } = parseTemplate(template);
  const separator = tokenizer.encode(turnSeparator);
  const turns = Object.fromEntries(PARTS.map((part) => [part, row[part].map((turn) => tokenizer.encode(turn))])) as Record<
    PairPart,
    number[][]
  >;
  const literals = pieces.map((piece) => ("literal" in piece ? tokenizer.encode(piece.literal) : []));
  const fixed = tokenizer.prefix.length + tokenizer.suffix.length + literals.reduce((sum, ids) => sum + ids.length, 0);
  const room = maxLength - fixed;
  if (room < PARTS.length) {
    throw new InvalidOptionError("maxLength", maxLength, `at least ${fixed + PARTS.length} (specials and template text take ${fixed})`);
  }
  const needs = PARTS.map((part) => joinedLength(turns[part], separator.length));
  const allowed = allocate(needs, shares, room);

  const ids: number[] = [...tokenizer.prefix];
  const lost = { prompt: 0, responseA: 0, responseB: 0 };
  pieces.forEach((piece, i) => {
    if ("literal" in piece) {
      ids.push(...literals[i]);
      return;
    }
    const p = PARTS.indexOf(piece.part);
    const kept = keepLastTurns(turns[piece.part], separator, allowed[p]);
    for (const id of kept) ids.push(id);
    lost[piece.part] = needs[p] - kept.length;
  });
  ids.push(...tokenizer.suffix);

  const length = pad ? maxLength : ids.length;
  const inputIds = new Int32Array(length).fill(tokenizer.padId);
  inputIds.set(ids);
  const attentionMask = new Uint8Array(length);
  attentionMask.fill(1, 0, ids.length);
  return { inputIds, attentionMask, lost };
}

function resolveBudget(budget: FormatBudget): Required<FormatBudget> {
  const { maxLength, shares = [0.2, 0.4, 0.4], pad = false } = budget;
  if (!Number.isInteger(maxLength) || maxLength < 1) throw new InvalidOptionError("maxLength", maxLength, "a positive integer");
  const total = shares.length === 3 ? shares[0] + shares[1] + shares[2] : Number.NaN;
  if (shares.some((share) => !(share >= 0)) || Math.abs(total - 1) > 1e-9) {
    throw new InvalidOptionError("shares", JSON.stringify(shares), "three non-negative numbers summing to 1");
  }
  return { maxLength, shares, pad };
}

function joinedLength(turns: number[][], separatorLength: number): number {
  return turns.reduce((sum, ids) => sum + ids.length, 0) + Math.max(0, turns.length - 1) * separatorLength;
}

/**
 * Water-filling: each part gets its share of the room; parts needing less than their share take only what they
 * need, and what they leave is shared again among the rest in proportion to their shares.
 */
export function allocate(needs: readonly number[], shares: readonly number[], room: number): number[] {
  const allowed = needs.map(() => 0);
  let open = needs.map((_, i) => i);
  let left = room;
  for (;;) {
    const weight = open.reduce((sum, i) => sum + shares[i], 0);
    const cap = (i: number) => (weight > 0 ? Math.floor((left * shares[i]) / weight) : Math.floor(left / open.length));
    const satisfied = open.filter((i) => needs[i] <= cap(i));
    if (satisfied.length === 0) {
      for (const i of open) allowed[i] = cap(i);
      // Flooring leaves up to one token per part unassigned; hand it out in part order.
      let spare = left - open.reduce((sum, i) => sum + allowed[i], 0);
      for (const i of open) {
        if (spare > 0 && allowed[i] < needs[i]) {
          allowed[i] += 1;
          spare -= 1;
        }
      }
      return allowed;
    }
    for (const i of satisfied) {
      allowed[i] = needs[i];
      left -= needs[i];
    }
    open = open.filter((i) => !satisfied.includes(i));
    if (open.length === 0) return allowed;
  }
}

/** The last turns that fit in `budget` tokens, joined by `separator`; the oldest kept turn may be cut to its head. */
export function keepLastTurns(turns: number[][], separator: readonly number[], budget: number): number[] {
  const kept: number[][] = [];
  let used = 0;
  for (let t = turns.length - 1; t >= 0 && used < budget; t--) {
    const join = kept.length > 0 ? separator.length : 0;
    const room = budget - used - join;
    if (room <= 0) break;
    const turn = turns[t].length <= room ? turns[t] : turns[t].slice(0, room);
    kept.unshift(kept.length > 0 ? [...turn, ...separator] : turn);
    used += turn.length + join;
    if (turn.length < turns[t].length) break;
  }
  return kept.flat();
}
