/** The texts of one preference pair, turn by turn: the part of a `PreferenceRow` that text features read. */
export interface PairText {
  /** User turns. */
  readonly prompt: readonly string[];
  /** Response A's turns. */
  readonly responseA: readonly string[];
  /** Response B's turns. */
  readonly responseB: readonly string[];
}

/** The same pair with A and B exchanged (a swapped row's label swaps A-wins and B-wins; a tie stays a tie). */
export function swapPair<T extends PairText>(row: T): T {
  return { ...row, responseA: row.responseB, responseB: row.responseA };
}

/** Turns joined by a blank line, the way a reader sees a multi-turn answer. */
export function joinTurns(turns: readonly string[]): string {
  return turns.length === 1 ? turns[0] : turns.join("\n\n");
}
