import { table } from "arquero";
import { noteProblem, type ProblemsReport, type RowRef } from "./problems.js";
import type { LabelValue, PreferenceRow, PreferenceTable } from "./schema.js";
import { allBlank, sameTurns, type Turns } from "./turns.js";

/** Repairs made while reading one row's turn cells, recorded against that row. */
export interface TurnRepairs {
  prompt: Turns;
  responseA: Turns;
  responseB: Turns;
}

/**
 * Collects rows into column arrays, running the checks every format shares (blank or empty turns, identical or
 * empty responses, duplicate ids and rows), then builds the arquero table once at the end.
 */
export class PreferenceTableBuilder {
  private readonly ids: string[] = [];
  private readonly modelA: (string | null)[] = [];
  private readonly modelB: (string | null)[] = [];
  private readonly prompt: string[][] = [];
  private readonly responseA: string[][] = [];
  private readonly responseB: string[][] = [];
  private labels = new Int8Array(1024);
  private readonly seenIds = new Set<string>();
  /** Rows by a cheap fingerprint of their content; a match is confirmed turn by turn, so duplicates are exact. */
  private readonly byFingerprint = new Map<string, number[]>();

  constructor(private readonly problems: ProblemsReport) {}

  get rows(): number {
    return this.ids.length;
  }

  /** Adds a row whose turn cells were parsed with `repairs`; `line` is where it starts in the input. */
  add(row: PreferenceRow, repairs: TurnRepairs, line: number): void {
    const ref: RowRef = { id: row.id, line };
    this.noteRepairs(repairs, ref);
    this.noteContent(row, ref);
    const n = this.ids.length;
    if (n === this.labels.length) {
      const grown = new Int8Array(n * 2);
      grown.set(this.labels);
      this.labels = grown;
    }
    this.labels[n] = row.label;
    this.ids.push(row.id);
    this.modelA.push(row.modelA);
    this.modelB.push(row.modelB);
    this.prompt.push(row.prompt);
    this.responseA.push(row.responseA);
    this.responseB.push(row.responseB);
  }

  build(): PreferenceTable {
    return table({
      id: this.ids,
      modelA: this.modelA,
      modelB: this.modelB,
      prompt: this.prompt,
      responseA: this.responseA,
      responseB: this.responseB,
      label: this.labels.slice(0, this.ids.length),
    });
  }

  private noteRepairs(repairs: TurnRepairs, ref: RowRef): void {
    const cells = [repairs.prompt, repairs.responseA, repairs.responseB];
    const nulls = cells.reduce((sum, cell) => sum + cell.nulls, 0);
    const surrogates = cells.reduce((sum, cell) => sum + cell.surrogates, 0);
    const blank = cells.reduce((sum, cell) => sum + cell.blank, 0);
    if (nulls > 0) noteProblem(this.problems, "nullTurns", ref, nulls);
    if (surrogates > 0) noteProblem(this.problems, "loneSurrogates", ref, surrogates);
    if (blank > 0) noteProblem(this.problems, "blankTurns", ref, blank);
    if (cells.some((cell) => cell.turns.length === 0)) noteProblem(this.problems, "emptyTurnLists", ref);
  }

  private noteContent(row: PreferenceRow, ref: RowRef): void {
    const bothEmpty = allBlank(row.responseA) && allBlank(row.responseB);
    if (bothEmpty) noteProblem(this.problems, "bothResponsesEmpty", ref);
    else if (sameTurns(row.responseA, row.responseB)) noteProblem(this.problems, "identicalResponses", ref);
    if (row.prompt.length !== row.responseA.length || row.prompt.length !== row.responseB.length) {
      noteProblem(this.problems, "turnCountMismatch", ref);
    }
    if (this.seenIds.has(row.id)) noteProblem(this.problems, "duplicateIds", ref);
    else this.seenIds.add(row.id);
    const key = fingerprint(row);
    const candidates = this.byFingerprint.get(key);
    if (candidates?.some((index) => this.sameContent(index, row))) noteProblem(this.problems, "duplicateRows", ref);
    else if (candidates) candidates.push(this.ids.length);
    else this.byFingerprint.set(key, [this.ids.length]);
  }

  private sameContent(index: number, row: PreferenceRow): boolean {
    return (
      sameTurns(this.prompt[index], row.prompt) &&
      sameTurns(this.responseA[index], row.responseA) &&
      sameTurns(this.responseB[index], row.responseB)
    );
  }
}

/** Maps winner flags to a label, noting conflicting or missing flags. */
export function labelFromFlags(a: number, b: number, tie: number, problems: ProblemsReport, ref: RowRef): LabelValue {
  const set = a + b + tie;
  if (set === 1) return a === 1 ? 0 : b === 1 ? 1 : 2;
  noteProblem(problems, set === 0 ? "missingWinner" : "conflictingWinner", ref);
  return -1;
}

/**
 * Turn lengths plus the edges of each turn: hashing every character cost a third of the load time, while
 * this touches a few dozen characters per row and rarely matches rows that differ.
 */
function fingerprint(row: PreferenceRow): string {
  let key = "";
  for (const turns of [row.prompt, row.responseA, row.responseB]) {
    for (const turn of turns) key += `${turn.length}:${turn.slice(0, 16)}${turn.slice(-16)}\u001f`;
    key += "\u001e";
  }
  return key;
}
