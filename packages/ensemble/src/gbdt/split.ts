import { HIST_FIELDS } from "./histogram.js";

/** Constraints a split must meet, from the resolved options. */
export interface SplitRules {
  /** Fewest rows on each side. */
  readonly minSamplesLeaf: number;
  /** Smallest hessian sum on each side. */
  readonly minHessianLeaf: number;
  /** L2 penalty on leaf values. */
  readonly l2: number;
  /** Smallest gain accepted. */
  readonly minSplitGain: number;
}

/** The best split of a node: rows with `bin ≤ bin` of `feature` go left. */
export interface SplitCandidate {
  readonly feature: number;
  readonly bin: number;
  /** Loss reduction ½[G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ)]. */
  readonly gain: number;
  /** Rows going left. */
  readonly leftCount: number;
}

/** Gradient, hessian and row count of a node. */
export interface NodeSums {
  readonly grad: number;
  readonly hess: number;
  readonly count: number;
}

/**
 * Scans every active feature's bins left to right and returns the split with the largest gain, or null when none
 * meets the rules. Ties keep the earliest (feature, bin), so the choice is deterministic.
 */
export function findBestSplit(
  hist: Float64Array,
  binCounts: Int32Array,
  stride: number,
  active: Uint8Array,
  total: NodeSums,
  rules: SplitRules,
): SplitCandidate | null {
  const parentScore = (total.grad * total.grad) / (total.hess + rules.l2);
  let best: SplitCandidate | null = null;
  let bestGain = rules.minSplitGain;
  for (let f = 0; f < binCounts.length; f++) {
    if (active[f] === 0) continue;
    let gl = 0;
    let hl = 0;
    let cl = 0;
    const base = f * stride * HIST_FIELDS;
    for (let b = 0; b + 1 < binCounts[f]; b++) {
      const slot = base + b * HIST_FIELDS;
      gl += hist[slot];
      hl += hist[slot + 1];
      cl += hist[slot + 2];
      if (cl < rules.minSamplesLeaf || hl < rules.minHessianLeaf) continue;
      const cr = total.count - cl;
      const hr = total.hess - hl;
      if (cr < rules.minSamplesLeaf) break;
      if (hr < rules.minHessianLeaf) continue;
      const gr = total.grad - gl;
      const gain = 0.5 * ((gl * gl) / (hl + rules.l2) + (gr * gr) / (hr + rules.l2) - parentScore);
      if (gain > bestGain) {
        bestGain = gain;
        best = { feature: f, bin: b, gain, leftCount: cl };
      }
    }
  }
  return best;
}
