import { EnsembleInputError, ModelFormatError } from "../errors.js";
import type { SparseMatrix } from "../models/feature-matrix.js";

/** How the TF-IDF vocabulary and weights are built. */
export interface TfidfOptions {
  /** Longest word n-gram. Defaults to `2`. */
  ngramMax?: number;
  /** Terms in fewer documents than this are dropped. Defaults to `2`. */
  minDf?: number;
  /** Keep at most this many terms, the most frequent by document count (ties by term). Defaults to `50000`. */
  maxFeatures?: number;
  /** Use `1 + log(tf)` instead of raw counts. Defaults to `true`. */
  sublinearTf?: boolean;
}

/** The saved form of a {@link TfidfVectorizer}. */
export interface TfidfVectorizerJson {
  /** Format tag, checked on load. */
  readonly kind: "tfidf-vectorizer";
  /** Longest word n-gram counted (≥ 1). */
  readonly ngramMax: number;
  /** Whether term frequency is `1 + ln(tf)` rather than the raw count. */
  readonly sublinearTf: boolean;
  /** Terms in column order. */
  readonly terms: string[];
  /** Inverse document frequency per term, aligned with `terms`. */
  readonly idf: number[];
}

/** Lower-cased words of two or more letters/digits (scikit-learn's default `\b\w\w+\b`, Unicode-aware). */
const TOKEN = /[\p{L}\p{N}_]{2,}/gu;

/** Term counts of one document: its words and word n-grams up to `ngramMax`. */
export function termCounts(text: string, ngramMax: number): Map<string, number> {
  const words = text.toLowerCase().match(TOKEN) ?? [];
  const counts = new Map<string, number>();
  for (let n = 1; n <= ngramMax; n++) {
    for (let i = 0; i + n <= words.length; i++) {
      const term = n === 1 ? words[i] : words.slice(i, i + n).join(" ");
      counts.set(term, (counts.get(term) ?? 0) + 1);
    }
  }
  return counts;
}

/**
 * TF-IDF as scikit-learn computes it with `smooth_idf`: `idf = ln((1 + n) / (1 + df)) + 1`, term frequency
 * optionally sublinear, each document's vector scaled to unit L2 norm.
 */
export class TfidfVectorizer {
  private readonly column: Map<string, number>;

  private constructor(
    /** Longest word n-gram counted (≥ 1). */
    readonly ngramMax: number,
    /** Whether term frequency is `1 + ln(tf)` rather than the raw count. */
    readonly sublinearTf: boolean,
    /** Vocabulary in column order (sorted). */
    readonly terms: readonly string[],
    /** Smoothed inverse document frequency per column, `ln((1 + n) / (1 + df)) + 1`. */
    readonly idf: Float64Array,
  ) {
    this.column = new Map(terms.map((term, j) => [term, j]));
  }

  /** Builds the vocabulary and idf from `documents`; throws {@link EnsembleInputError} on a bad `ngramMax` or `maxFeatures`. */
  static fit(documents: readonly string[], options: TfidfOptions = {}): TfidfVectorizer {
    const ngramMax = options.ngramMax ?? 2;
    const minDf = options.minDf ?? 2;
    const maxFeatures = options.maxFeatures ?? 50_000;
    if (!Number.isInteger(ngramMax) || ngramMax < 1) throw new EnsembleInputError(`tfidf: ngramMax must be an integer >= 1, got ${ngramMax}`);
    if (!Number.isInteger(maxFeatures) || maxFeatures < 1) {
      throw new EnsembleInputError(`tfidf: maxFeatures must be an integer >= 1, got ${maxFeatures}`);
    }
    const df = new Map<string, number>();
    for (const document of documents) {
      for (const term of termCounts(document, ngramMax).keys()) df.set(term, (df.get(term) ?? 0) + 1);
    }
    const kept = [...df.entries()]
      .filter(([, count]) => count >= minDf)
      .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))
      .slice(0, maxFeatures)
      .sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
    const n = documents.length;
    const idf = Float64Array.from(kept, ([, count]) => Math.log((1 + n) / (1 + count)) + 1);
    return new TfidfVectorizer(ngramMax, options.sublinearTf ?? true, kept.map(([term]) => term), idf);
  }

  /** One unit-norm row per document (an empty or out-of-vocabulary document gives an empty row). */
  transform(documents: readonly string[]): SparseMatrix {
    const indptr = new Int32Array(documents.length + 1);
    let indices = new Int32Array(1024);
    let values = new Float64Array(1024);
    // Per-document scratch: the row's weights by column, and which columns it touched.
    const weight = new Float64Array(this.terms.length);
    let touched = new Int32Array(256);
    let nnz = 0;
    documents.forEach((document, r) => {
      let count = 0;
      let squares = 0;
      for (const [term, tf] of termCounts(document, this.ngramMax)) {
        const j = this.column.get(term);
        if (j === undefined) continue;
        const w = (this.sublinearTf ? 1 + Math.log(tf) : tf) * this.idf[j];
        weight[j] = w;
        squares += w * w;
        if (count === touched.length) touched = grow(touched, count + 1);
        touched[count++] = j;
      }
      const columns = touched.subarray(0, count).sort();
      if (nnz + count > indices.length) {
        indices = grow(indices, nnz + count);
        values = grow(values, nnz + count);
      }
      const norm = Math.sqrt(squares);
      for (const j of columns) {
        indices[nnz] = j;
        values[nnz++] = weight[j] / norm;
        weight[j] = 0;
      }
      indptr[r + 1] = nnz;
    });
    return { kind: "csr", rows: documents.length, cols: this.terms.length, indptr, indices: indices.slice(0, nnz), values: values.slice(0, nnz) };
  }

  /** The vocabulary, idf and settings as plain JSON. */
  toJSON(): TfidfVectorizerJson {
    return {
      kind: "tfidf-vectorizer",
      ngramMax: this.ngramMax,
      sublinearTf: this.sublinearTf,
      terms: [...this.terms],
      idf: Array.from(this.idf),
    };
  }

  /** Rebuilds a vectorizer saved with {@link TfidfVectorizer.toJSON}; throws {@link ModelFormatError} on a malformed one. */
  static fromJSON(json: TfidfVectorizerJson): TfidfVectorizer {
    const what = "tfidf vectorizer JSON";
    if (json?.kind !== "tfidf-vectorizer") throw new ModelFormatError(what, `kind is ${JSON.stringify(json?.kind)}`);
    if (!Array.isArray(json.terms) || !Array.isArray(json.idf) || json.terms.length !== json.idf.length) {
      throw new ModelFormatError(what, "terms and idf must be arrays of one length");
    }
    if (!Number.isInteger(json.ngramMax) || json.ngramMax < 1) throw new ModelFormatError(what, `ngramMax is ${json.ngramMax}`);
    return new TfidfVectorizer(json.ngramMax, json.sublinearTf === true, json.terms, Float64Array.from(json.idf));
  }
}

/** A copy of `array` with room for at least `needed` elements (capacity doubled). */
function grow<T extends Int32Array | Float64Array>(array: T, needed: number): T {
  const next = new (array.constructor as new (length: number) => T)(Math.max(needed, array.length * 2));
  next.set(array);
  return next;
}
