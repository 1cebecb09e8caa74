import { joinTurns, type PairText } from "../features/pair-text.js";
import { denseMatrix, type DenseMatrix } from "../models/feature-matrix.js";

/** Counts measured on one response (all turns joined). */
interface TextCounts {
  chars: number;
  words: number;
  lines: number;
  codeBlocks: number;
  listItems: number;
}

const MEASURES = ["chars", "words", "lines", "codeBlocks", "listItems"] as const;

const WORD = /\S+/g;
const FENCE = /^\s*(```|~~~)/gm;
const LIST_ITEM = /^\s*([-*+•]|\d+[.)])\s+\S/gm;

function countMatches(text: string, pattern: RegExp): number {
  let count = 0;
  pattern.lastIndex = 0;
  while (pattern.exec(text) !== null) count++;
  return count;
}

function measure(text: string): TextCounts {
  return {
    chars: text.length,
    words: countMatches(text, WORD),
    lines: text.length === 0 ? 0 : text.split("\n").length,
    // A code block opens and closes with a fence; an unclosed one still counts.
    codeBlocks: Math.ceil(countMatches(text, FENCE) / 2),
    listItems: countMatches(text, LIST_ITEM),
  };
}

/**
 * The column names of {@link lengthFeatures}. Per measure (chars, words, lines, code blocks, list items):
 * log1p of A and of B, their difference, and the share `A / (A + B) − ½`. Then: A empty, B empty, A and B
 * identical, log1p(prompt chars), number of turns.
 */
export const LENGTH_FEATURES: readonly string[] = [
  ...MEASURES.flatMap((m) => [`log_${m}_a`, `log_${m}_b`, `log_${m}_diff`, `${m}_share_a`]),
  "empty_a",
  "empty_b",
  "identical",
  "log_prompt_chars",
  "turns",
];

/** Length and structure features of each pair, one row per pair (see {@link LENGTH_FEATURES}). */
export function lengthFeatures(rows: readonly PairText[]): DenseMatrix {
  const cols = LENGTH_FEATURES.length;
  const data = new Float64Array(rows.length * cols);
  rows.forEach((row, i) => {
    const textA = joinTurns(row.responseA);
    const textB = joinTurns(row.responseB);
    const a = measure(textA);
    const b = measure(textB);
    let c = i * cols;
    for (const m of MEASURES) {
      const la = Math.log1p(a[m]);
      const lb = Math.log1p(b[m]);
      data[c++] = la;
      data[c++] = lb;
      data[c++] = la - lb;
      data[c++] = a[m] + b[m] === 0 ? 0 : a[m] / (a[m] + b[m]) - 0.5;
    }
    data[c++] = textA.trim() === "" ? 1 : 0;
    data[c++] = textB.trim() === "" ? 1 : 0;
    data[c++] = textA === textB ? 1 : 0;
    data[c++] = Math.log1p(joinTurns(row.prompt).length);
    data[c++] = row.prompt.length;
  });
  return denseMatrix(data, rows.length, cols);
}
