/** A record a problem was found in: its id (`""` when unreadable) and the 1-based line it starts on. */
export interface RowRef {
  /** The record's id, or `""` when it could not be read. */
  id: string;
  /** 1-based physical line the record starts on. */
  line: number;
}

/** One counted problem. `count` is the number of affected rows; `rows` lists them in input order. */
export interface ProblemCount {
  /** Number of affected rows (`rows.length`). */
  count: number;
  /** Number of individual occurrences (e.g. nulls or surrogates replaced); equals `count` for row-level problems. */
  occurrences: number;
  /** The affected rows. */
  rows: RowRef[];
}

/** A record dropped because it was malformed and the caller asked for `onError: "skip"`. */
export interface SkippedRow extends RowRef {
  /** Column or JSON key that failed. */
  field: string;
  /** What the loader expected there. */
  expected: string;
  /** An excerpt of what it found. */
  found: string;
}

/**
 * Everything the loader noticed and repaired or counted. Nothing is dropped silently: rows are only ever removed
 * when malformed under `onError: "skip"`, and then listed in `skipped`. Repairs change values, never row counts.
 */
export interface ProblemsReport {
  /** Source name as given by the caller. */
  file: string;
  /** The input began with a UTF-8 byte-order mark, which was removed. */
  bom: boolean;
  /** Invalid UTF-8 byte sequences in the input, each decoded as U+FFFD. */
  invalidUtf8: number;
  /** Number of record-ending CRLF line breaks (CR removed; CRLF inside quoted text is kept as text). */
  crlfLines: number;
  /** The CSV header began with an unnamed index column, whose values were ignored. */
  indexColumn: boolean;
  /** Blank lines between records, skipped (`id` is `""`). */
  blankLines: ProblemCount;
  /** Rows with JSON `null` inside a turn list; each null became `""`. `occurrences` counts the nulls. */
  nullTurns: ProblemCount;
  /** Rows whose prompt or a response is an empty list `[]` (kept as an empty list). */
  emptyTurnLists: ProblemCount;
  /** Rows with a turn that is empty or whitespace-only (kept as is). `occurrences` counts such turns. */
  blankTurns: ProblemCount;
  /** Rows containing lone UTF-16 surrogates, each replaced with U+FFFD. `occurrences` counts replacements. */
  loneSurrogates: ProblemCount;
  /** Rows whose two responses are identical turn by turn (rows with both responses empty are counted below). */
  identicalResponses: ProblemCount;
  /** Rows where neither response has any non-whitespace text. */
  bothResponsesEmpty: ProblemCount;
  /** Rows whose prompt and responses have different numbers of turns. */
  turnCountMismatch: ProblemCount;
  /** Rows whose id already appeared earlier (the later occurrences are listed). */
  duplicateIds: ProblemCount;
  /** Rows whose prompt and both responses repeat an earlier row exactly (the later occurrences are listed). */
  duplicateRows: ProblemCount;
  /** Rows with more than one winner flag set; their label is `Label.unlabelled`. */
  conflictingWinner: ProblemCount;
  /** Labelled-format rows with no winner flag set; their label is `Label.unlabelled`. */
  missingWinner: ProblemCount;
  /** HH-RLHF pairs whose dialogues differ before the final assistant turn; the prompt is taken from `chosen`. */
  divergentDialogues: ProblemCount;
  /** HH-RLHF dialogues that do not alternate Human/Assistant starting with Human (turns are grouped by role). */
  irregularDialogues: ProblemCount;
  /** Malformed records dropped under `onError: "skip"`. */
  skipped: SkippedRow[];
}

/** Names of the {@link ProblemCount} fields of a {@link ProblemsReport}. */
export type ProblemName = {
  [K in keyof ProblemsReport]: ProblemsReport[K] extends ProblemCount ? K : never;
}[keyof ProblemsReport];

const PROBLEM_NAMES: readonly ProblemName[] = [
  "blankLines",
  "nullTurns",
  "emptyTurnLists",
  "blankTurns",
  "loneSurrogates",
  "identicalResponses",
  "bothResponsesEmpty",
  "turnCountMismatch",
  "duplicateIds",
  "duplicateRows",
  "conflictingWinner",
  "missingWinner",
  "divergentDialogues",
  "irregularDialogues",
];

/** A fresh report with every counter at zero. */
export function emptyProblemsReport(file: string): ProblemsReport {
  const counters = {} as Record<ProblemName, ProblemCount>;
  for (const name of PROBLEM_NAMES) counters[name] = { count: 0, occurrences: 0, rows: [] };
  return { file, bom: false, invalidUtf8: 0, crlfLines: 0, indexColumn: false, ...counters, skipped: [] };
}

/** Records `occurrences` instances of a problem in one row. */
export function noteProblem(report: ProblemsReport, name: ProblemName, ref: RowRef, occurrences = 1): void {
  const counter = report[name];
  counter.count += 1;
  counter.occurrences += occurrences;
  counter.rows.push(ref);
}

/** The names of the counters that are non-zero, for summaries. */
export function problemsFound(report: ProblemsReport): ProblemName[] {
  return PROBLEM_NAMES.filter((name) => report[name].count > 0);
}
