/** Turns of one cell after repairs, with what was repaired. */
export interface Turns {
  turns: string[];
  /** JSON nulls replaced by `""`. */
  nulls: number;
  /** Lone UTF-16 surrogates replaced by U+FFFD. */
  surrogates: number;
  /** Turns that are empty or whitespace-only. */
  blank: number;
}

/** Why a value is not a turn list, phrased as what was expected. */
export interface TurnsError {
  expected: string;
  found: string;
}

const EXPECTED_TURNS = "a JSON list of strings (one per turn)";

/** Parses a JSON-encoded turn cell such as `["hi", null]`. */
export function parseTurnCell(cell: string): Turns | TurnsError {
  let value: unknown;
  try {
    value = JSON.parse(cell);
  } catch {
    return { expected: EXPECTED_TURNS, found: `non-JSON text ${snippet(cell)}` };
  }
  return normalizeTurns(value, false);
}

/**
 * Validates and repairs an already-decoded turn value. With `allowString`, a plain string is one turn
 * (the JSONL format allows it); otherwise only lists are accepted.
 */
export function normalizeTurns(value: unknown, allowString: boolean): Turns | TurnsError {
  if (allowString && typeof value === "string") value = [value];
  if (!Array.isArray(value)) {
    return { expected: allowString ? "a string or a list of strings" : EXPECTED_TURNS, found: describe(value) };
  }
  const turns: string[] = new Array(value.length);
  let nulls = 0;
  let surrogates = 0;
  let blank = 0;
  for (let i = 0; i < value.length; i++) {
    let turn: unknown = value[i];
    if (turn === null) {
      nulls += 1;
      turn = "";
    }
    if (typeof turn !== "string") {
      return { expected: `a string or null at turn ${i}`, found: describe(turn) };
    }
    if (!turn.isWellFormed()) {
      surrogates += countLoneSurrogates(turn);
      turn = turn.toWellFormed();
    }
    if (isBlank(turn as string)) blank += 1;
    turns[i] = turn as string;
  }
  return { turns, nulls, surrogates, blank };
}

/** True when a value is a parse failure rather than turns. */
export function isTurnsError(value: Turns | TurnsError): value is TurnsError {
  return "expected" in value;
}

/** True when no turn has non-whitespace text (an empty list included). */
export function allBlank(turns: readonly string[]): boolean {
  for (const turn of turns) if (!isBlank(turn)) return false;
  return true;
}

/** True when two turn lists are equal element by element. */
export function sameTurns(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const NON_BLANK = /\S/;

function isBlank(text: string): boolean {
  return !NON_BLANK.test(text);
}

function countLoneSurrogates(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i += 1;
      else n += 1;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      n += 1;
    }
  }
  return n;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") return `the string ${snippet(value)}`;
  return typeof value === "object" ? "an object" : `${typeof value} ${String(value)}`;
}

function snippet(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}
