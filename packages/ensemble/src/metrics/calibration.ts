import { argmaxRow, flattenProbabilities, type ProbabilityRows } from "./probability-rows.js";

/**
 * Expected calibration error of the top-class confidence: rows are put in `bins` equal-width confidence bins
 * (`(lo, hi]`, the first also taking 0), and the result is `Σ_b (n_b / n) · |accuracy_b − mean confidence_b|`.
 */
export function expectedCalibrationError(probs: ProbabilityRows, labels: ArrayLike<number>, bins = 10, classes = 3): number {
  const flat = flattenProbabilities(probs, labels, classes);
  const count = new Float64Array(bins);
  const confidence = new Float64Array(bins);
  const correct = new Float64Array(bins);
  for (let i = 0; i < labels.length; i++) {
    const top = argmaxRow(flat, i, classes);
    const p = flat[i * classes + top];
    const bin = Math.min(bins - 1, Math.max(0, Math.ceil(p * bins) - 1));
    count[bin]++;
    confidence[bin] += p;
    if (top === labels[i]) correct[bin]++;
  }
  let ece = 0;
  for (let b = 0; b < bins; b++) {
    if (count[b] > 0) ece += Math.abs(correct[b] - confidence[b]) / labels.length;
  }
  return ece;
}
