import { joinTurns, swapPair, type PairText } from "../features/pair-text.js";
import { ModelFormatError } from "../errors.js";
import { stackRows, type SparseMatrix } from "../models/feature-matrix.js";
import { LogisticRegression, type LogisticRegressionJson } from "../models/logistic-regression.js";
import { swapAverage } from "../predictions/swap.js";
import { trainingLabels, type PairRow } from "./pair-row.js";
import { TfidfVectorizer, type TfidfOptions, type TfidfVectorizerJson } from "./tfidf-vectorizer.js";

/** How the TF-IDF member is trained. */
export interface TfidfMemberOptions extends TfidfOptions {
  /** L2 penalty of the logistic regression (chosen by 5-fold CV on the arena dev rows). Defaults to `5e-4`. */
  l2?: number;
}

/** The saved form of a {@link TfidfMember}. */
export interface TfidfMemberJson {
  /** Format tag that {@link loadMember} dispatches on. */
  readonly kind: "tfidf-member";
  /** The fitted vocabulary and idf weights. */
  readonly vectorizer: TfidfVectorizerJson;
  /** The logistic regression on TF-IDF(A) − TF-IDF(B). */
  readonly model: LogisticRegressionJson;
}

/**
 * TF-IDF of response A minus TF-IDF of response B (word 1–2-grams, sublinear tf) with a multinomial logistic
 * regression, trained with A/B-swapped twins and predicting with swap averaging.
 */
export class TfidfMember {
  /** Member kind, as in {@link MemberKind}. */
  readonly kind = "tfidf";

  private constructor(
    private readonly vectorizer: TfidfVectorizer,
    private readonly model: LogisticRegression,
  ) {}

  /** Fits the vocabulary on both responses of every row, then the model on A − B and its swapped twin B − A; every row must be labelled. */
  static fit(rows: readonly PairRow[], options: TfidfMemberOptions = {}): TfidfMember {
    const labels = trainingLabels("tfidf member", rows, true);
    const textsA = rows.map((row) => joinTurns(row.responseA));
    const textsB = rows.map((row) => joinTurns(row.responseB));
    const vectorizer = TfidfVectorizer.fit([...textsA, ...textsB], options);
    const a = vectorizer.transform(textsA);
    const b = vectorizer.transform(textsB);
    const features = stackRows(subtractRows(a, b), subtractRows(b, a));
    const model = LogisticRegression.fit(features, labels, { l2: options.l2 ?? 5e-4 });
    return new TfidfMember(vectorizer, model);
  }

  /** Probabilities `[A, B, tie]` per row, row-major. */
  predict(rows: readonly PairText[]): Float64Array {
    const a = this.vectorizer.transform(rows.map((row) => joinTurns(row.responseA)));
    const b = this.vectorizer.transform(rows.map((row) => joinTurns(row.responseB)));
    const original = this.model.predictProba(subtractRows(a, b));
    // The swapped rows' features are B − A; computing them from swapped rows keeps one code path.
    const swappedRows = rows.map(swapPair);
    const swappedA = this.vectorizer.transform(swappedRows.map((row) => joinTurns(row.responseA)));
    const swappedB = this.vectorizer.transform(swappedRows.map((row) => joinTurns(row.responseB)));
    return swapAverage(original, this.model.predictProba(subtractRows(swappedA, swappedB)));
  }

  /** The fitted vectorizer and model as plain JSON. */
  toJSON(): TfidfMemberJson {
    return { kind: "tfidf-member", vectorizer: this.vectorizer.toJSON(), model: this.model.toJSON() };
  }

  /** Rebuilds a member saved with {@link TfidfMember.toJSON}; throws {@link ModelFormatError} on another kind. */
  static fromJSON(json: TfidfMemberJson): TfidfMember {
    if (json?.kind !== "tfidf-member") throw new ModelFormatError("tfidf member JSON", `kind is ${JSON.stringify(json?.kind)}`);
    return new TfidfMember(TfidfVectorizer.fromJSON(json.vectorizer), LogisticRegression.fromJSON(json.model));
  }
}

/** Row-wise `a − b` of two CSR matrices with sorted column indices. */
function subtractRows(a: SparseMatrix, b: SparseMatrix): SparseMatrix {
  const indptr = new Int32Array(a.rows + 1);
  const capacity = a.indptr[a.rows] + b.indptr[b.rows];
  const indices = new Int32Array(capacity);
  const values = new Float64Array(capacity);
  let nnz = 0;
  for (let r = 0; r < a.rows; r++) {
    let p = a.indptr[r];
    let q = b.indptr[r];
    const pEnd = a.indptr[r + 1];
    const qEnd = b.indptr[r + 1];
    while (p < pEnd || q < qEnd) {
      const ja = p < pEnd ? a.indices[p] : Number.POSITIVE_INFINITY;
      const jb = q < qEnd ? b.indices[q] : Number.POSITIVE_INFINITY;
      const j = Math.min(ja, jb);
      const v = (ja === j ? a.values[p++] : 0) - (jb === j ? b.values[q++] : 0);
      if (v !== 0) {
        indices[nnz] = j;
        values[nnz++] = v;
      }
    }
    indptr[r + 1] = nnz;
  }
  return { kind: "csr", rows: a.rows, cols: a.cols, indptr, indices: indices.slice(0, nnz), values: values.slice(0, nnz) };
}
