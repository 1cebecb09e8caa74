import type { ColumnTable } from "arquero";

/** Preference labels: which response the human preferred. */
export const Label = {
  /** Response A won. */
  a: 0,
  /** Response B won. */
  b: 1,
  /** Tie. */
  tie: 2,
  /** No usable label: a test file, or winner flags missing / conflicting (see the problems report). */
  unlabelled: -1,
} as const;

/** One of the {@link Label} values. */
export type LabelValue = (typeof Label)[keyof typeof Label];

/**
 * One preference pair in the common schema every loader produces. Turns are aligned:
 * `prompt[i]` is answered by `responseA[i]` and `responseB[i]`.
 */
export interface PreferenceRow {
  /** Row id from the input, or the row's 1-based line number as a string when the input has none. */
  id: string;
  /** Name of the model that wrote response A; `null` when the input does not say. */
  modelA: string | null;
  /** Name of the model that wrote response B; `null` when the input does not say. */
  modelB: string | null;
  /** The user turns of the conversation, one string per turn. */
  prompt: string[];
  /** Response A's answer to each prompt turn. */
  responseA: string[];
  /** Response B's answer to each prompt turn. */
  responseB: string[];
  /** Which response won, as a {@link Label} value (`Label.unlabelled` when unknown). */
  label: LabelValue;
}

/**
 * An arquero table with the columns of {@link PreferenceRow}: `id`, `modelA`, `modelB` (string or null),
 * `prompt`, `responseA`, `responseB` (arrays of turns) and `label` (an Int8Array of {@link Label} values).
 */
export type PreferenceTable = ColumnTable;

/** Column names of a {@link PreferenceTable}, in order. */
export const PREFERENCE_COLUMNS = ["id", "modelA", "modelB", "prompt", "responseA", "responseB", "label"] as const;

/** Row `index` of a preference table as a typed {@link PreferenceRow}. */
export function rowAt(table: PreferenceTable, index: number): PreferenceRow {
  return {
    id: table.get("id", index),
    modelA: table.get("modelA", index),
    modelB: table.get("modelB", index),
    prompt: table.get("prompt", index),
    responseA: table.get("responseA", index),
    responseB: table.get("responseB", index),
    label: table.get("label", index),
  };
}
