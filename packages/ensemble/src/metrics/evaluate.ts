import { accuracy, accuracyNoTies } from "./accuracy.js";
import { expectedCalibrationError } from "./calibration.js";
import { logLoss } from "./log-loss.js";
import type { ProbabilityRows } from "./probability-rows.js";

/** The summary `litee eval` prints. */
export interface EvaluationSummary {
  /** Kaggle-clipped multi-class log loss (lower is better). */
  readonly logLoss: number;
  /** Share of rows whose most probable class is the true one, in `[0, 1]`. */
  readonly accuracy: number;
  /** Accuracy on rows with a winner, choosing between A and B only; `NaN` when no row has one. */
  readonly accuracyNoTies: number;
  /** Expected calibration error over 10 bins. */
  readonly ece: number;
  /** Number of labelled rows scored. */
  readonly rows: number;
}

/** Every headline metric of three-way preference predictions at once. */
export function evaluatePredictions(probs: ProbabilityRows, labels: ArrayLike<number>): EvaluationSummary {
  return {
    logLoss: logLoss(probs, labels),
    accuracy: accuracy(probs, labels),
    accuracyNoTies: accuracyNoTies(probs, labels),
    ece: expectedCalibrationError(probs, labels),
    rows: labels.length,
  };
}
