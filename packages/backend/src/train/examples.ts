import { formatPair, swapAB, type FormatBudget, type PreferenceRow, type PreferenceTable, type TemplateName, type TextTokenizer } from "@lora-litee/data";

/**
 * Preference pairs turned into token sequences once, before training: formatted with a template, each part cut to
 * its share of the budget (`formatPair` of @lora-litee/data). With swap augmentation every pair also appears with
 * A and B exchanged and its label mapped A ↔ B, which doubles the data and teaches the head that order means nothing.
 */

/** Options of `encodeExamples`. */
export interface ExampleOptions {
  /** Template name or text with `{prompt}`, `{response_a}`, `{response_b}`. Defaults to `"arena"`. */
  readonly template?: TemplateName | string;
  /** Token budget per pair, specials included. */
  readonly maxLength: number;
  /** Shares of the budget for prompt, response A, response B. Defaults to `[0.2, 0.4, 0.4]`. */
  readonly shares?: FormatBudget["shares"];
  /** Add every pair again with A and B swapped. Defaults to `false`. */
  readonly swap?: boolean;
  /** Require every row to carry a label (training); prediction passes `false`. Defaults to `true`. */
  readonly requireLabels?: boolean;
}

/** Token sequences with their labels and where each came from. */
export interface EncodedExamples {
  /** Token ids per example, unpadded. */
  readonly sequences: readonly Int32Array[];
  /** Label per example (0 A, 1 B, 2 tie; −1 unlabelled when labels were not required). */
  readonly labels: Int32Array;
  /** Length of each sequence. */
  readonly lengths: Int32Array;
  /** Row of the source table each example came from. */
  readonly sourceRows: Int32Array;
  /** 1 for examples with A and B swapped. */
  readonly swapped: Uint8Array;
  /** Tokens cut by the budget, summed over all examples (reported, never silent). */
  readonly truncatedTokens: number;
  /** Examples that lost at least one token to the budget. */
  readonly truncatedExamples: number;
}

/** A row that cannot become a training example; names the row id and why. */
export class ExampleError extends Error {
  override readonly name = "ExampleError";
}

/** Encodes the rows of `table` (and, with `swap`, their swapped copies after them, in the same row order). */
export function encodeExamples(table: PreferenceTable, tokenizer: TextTokenizer, options: ExampleOptions): EncodedExamples {
  const template = options.template ?? "arena";
  const budget = { maxLength: options.maxLength, shares: options.shares };
  const views = options.swap ? [table, swapAB(table)] : [table];
  const count = table.numRows() * views.length;
  const sequences: Int32Array[] = [];
  const labels = new Int32Array(count);
  const lengths = new Int32Array(count);
  const sourceRows = new Int32Array(count);
  const swapped = new Uint8Array(count);
  let truncatedTokens = 0;
  let truncatedExamples = 0;
  views.forEach((view, v) => {
    (view.objects() as PreferenceRow[]).forEach((row, r) => {
      if ((options.requireLabels ?? true) && row.label < 0) {
        throw new ExampleError(`row ${r} (id ${JSON.stringify(row.id)}) has no label; training needs winner A, winner B or tie`);
      }
      const formatted = formatPair(row, template, tokenizer, budget);
      const i = sequences.length;
      sequences.push(formatted.inputIds);
      labels[i] = row.label;
      lengths[i] = formatted.inputIds.length;
      sourceRows[i] = r;
      swapped[i] = v;
      const lost = formatted.lost.prompt + formatted.lost.responseA + formatted.lost.responseB;
      truncatedTokens += lost;
      if (lost > 0) truncatedExamples++;
    });
  });
  return { sequences, labels, lengths, sourceRows, swapped, truncatedTokens, truncatedExamples };
}
