import { accuracy, accuracyNoTies } from "./accuracy.js";
import { expectedCalibrationError } from "./calibration.js";
import { logLoss } from "./log-loss.js";
import type { ProbabilityRows } from "./probability-rows.js";

/** The summary `litee eval` prints. */
export interface EvaluationSummary {
  readonly logLoss: number;
  readonly accuracy: number;
  readonly accuracyNoTies: number;
  /** Expected calibration error over 10 bins. */
  readonly ece: number;
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
