/**
 * Evaluation of a classifier's logits: multiclass log loss (the Kaggle metric) and accuracy, plus the
 * probabilities a submission needs, with optional swap test-time averaging.
 */

/** Log loss and accuracy over a set of rows. */
export interface ClassificationMetrics {
  /** Mean −log p(label), from a stable log-softmax. */
  readonly logLoss: number;
  /** Share of rows whose arg-max class is the label (ties go to the lower class). */
  readonly accuracy: number;
  /** Rows evaluated. */
  readonly rows: number;
}

/** Logits and labels that do not line up; names the counts. */
export class MetricsError extends Error {
  override readonly name = "MetricsError";
}

/** Metrics of `logits` (`[rows, classes]` row-major) against `labels`. */
export function classificationMetrics(logits: ArrayLike<number>, labels: ArrayLike<number>, classes: number): ClassificationMetrics {
  const rows = checkShape(logits, classes);
  if (labels.length !== rows) throw new MetricsError(`${rows} rows of logits but ${labels.length} labels`);
  let loss = 0;
  let correct = 0;
  for (let r = 0; r < rows; r++) {
    const label = labels[r];
    if (!Number.isInteger(label) || label < 0 || label >= classes) throw new MetricsError(`row ${r}: label ${label} is not a class in [0, ${classes})`);
    let best = 0;
    let max = -Infinity;
    for (let c = 0; c < classes; c++) {
      const z = logits[r * classes + c];
      if (z > max) {
        max = z;
        best = c;
      }
    }
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.exp(logits[r * classes + c] - max);
    loss += max + Math.log(sum) - logits[r * classes + label];
    if (best === label) correct++;
  }
  return { logLoss: rows ? loss / rows : Number.NaN, accuracy: rows ? correct / rows : Number.NaN, rows };
}

/** Row-wise softmax of `[rows, classes]` logits. */
export function softmaxRows(logits: ArrayLike<number>, classes: number): Float64Array {
  const rows = checkShape(logits, classes);
  const out = new Float64Array(rows * classes);
  for (let r = 0; r < rows; r++) {
    let max = -Infinity;
    for (let c = 0; c < classes; c++) max = Math.max(max, logits[r * classes + c]);
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += out[r * classes + c] = Math.exp(logits[r * classes + c] - max);
    for (let c = 0; c < classes; c++) out[r * classes + c] /= sum;
  }
  return out;
}

/**
 * Swap test-time averaging for [A, B, tie] probabilities: the model saw each pair once as is and once with A and
 * B exchanged, so the swapped run's p(B) is evidence for A. Returns ½·(p + swap(p′)) per row.
 */
export function averageWithSwapped(probabilities: ArrayLike<number>, swappedProbabilities: ArrayLike<number>): Float64Array {
  const rows = checkShape(probabilities, 3);
  if (swappedProbabilities.length !== probabilities.length) {
    throw new MetricsError(`${rows} rows of probabilities but ${swappedProbabilities.length / 3} swapped rows`);
  }
  const out = new Float64Array(rows * 3);
  for (let r = 0; r < rows; r++) {
    out[r * 3] = (probabilities[r * 3] + swappedProbabilities[r * 3 + 1]) / 2;
    out[r * 3 + 1] = (probabilities[r * 3 + 1] + swappedProbabilities[r * 3]) / 2;
    out[r * 3 + 2] = (probabilities[r * 3 + 2] + swappedProbabilities[r * 3 + 2]) / 2;
  }
  return out;
}

function checkShape(values: ArrayLike<number>, classes: number): number {
  if (!Number.isInteger(classes) || classes < 1) throw new MetricsError(`classes must be an integer ≥ 1, got ${classes}`);
  if (values.length % classes !== 0) throw new MetricsError(`${values.length} values do not form rows of ${classes} classes`);
  return values.length / classes;
}
