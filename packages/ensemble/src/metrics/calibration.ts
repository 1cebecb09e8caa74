import { argmaxRow, flattenProbabilities, type ProbabilityRows } from "./probability-rows.js";

/** One confidence bin of a reliability diagram. */
export interface ReliabilityBin {
  /** Mean top-class probability of the bin's rows (0 for an empty bin). */
  readonly confidence: number;
  /** Fraction of the bin's rows whose top class was right (0 for an empty bin). */
  readonly accuracy: number;
  /** Rows in the bin. */
  readonly count: number;
}

/**
 * Rows put in `bins` equal-width bins of top-class confidence (`(lo, hi]`, the first also taking 0), with each
 * bin's mean confidence and accuracy: the data of a reliability diagram.
 */
export function reliabilityBins(probs: ProbabilityRows, labels: ArrayLike<number>, bins = 10, classes = 3): ReliabilityBin[] {
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
  return Array.from({ length: bins }, (_, b) => ({
    confidence: count[b] ? confidence[b] / count[b] : 0,
    accuracy: count[b] ? correct[b] / count[b] : 0,
    count: count[b],
  }));
}

/** Expected calibration error of the top-class confidence: `Σ_b (n_b / n) · |accuracy_b − mean confidence_b|` over {@link reliabilityBins}. */
export function expectedCalibrationError(probs: ProbabilityRows, labels: ArrayLike<number>, bins = 10, classes = 3): number {
  let ece = 0;
  for (const bin of reliabilityBins(probs, labels, bins, classes)) {
    if (bin.count === 0) continue;
    ece += (bin.count / labels.length) * Math.abs(bin.accuracy - bin.confidence);
  }
  return ece;
}
