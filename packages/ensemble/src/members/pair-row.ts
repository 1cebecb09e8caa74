import { swapPair, type PairText } from "../features/pair-text.js";

/** Class index of a preference label: 0 = A wins, 1 = B wins, 2 = tie. */
export type PreferenceLabel = 0 | 1 | 2;

/** One arena row as the classical members read it: its id, the turns, and the label when known. */
export interface PairRow extends PairText {
  /** The row's id, carried through to prediction files and error messages. */
  readonly id: string;
  /** The true outcome; required for training, absent on unlabelled (test) rows. */
  readonly label?: PreferenceLabel;
}

/** The label of the same row with A and B exchanged. */
export function swapLabel(label: PreferenceLabel): PreferenceLabel {
  return label === 2 ? 2 : ((1 - label) as PreferenceLabel);
}

/** Every row followed by its A/B-swapped twin (labels swapped too): the training set of a swap-symmetric member. */
export function withSwappedRows<T extends PairText>(rows: readonly T[]): T[] {
  return [...rows, ...rows.map(swapPair)];
}

/** The labels of `rows`, followed by the swapped labels when `swapped`; every row must be labelled. */
export function trainingLabels(member: string, rows: readonly PairRow[], swapped: boolean): Uint8Array {
  const labels = new Uint8Array(swapped ? 2 * rows.length : rows.length);
  rows.forEach((row, i) => {
    if (row.label === undefined) throw new TypeError(`${member}: training row ${i + 1} (id ${JSON.stringify(row.id)}) has no label`);
    labels[i] = row.label;
    if (swapped) labels[rows.length + i] = swapLabel(row.label);
  });
  return labels;
}
