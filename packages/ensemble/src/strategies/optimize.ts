import { EnsembleInputError } from "../errors.js";
import { logLoss } from "../metrics/log-loss.js";
import { PROBABILITY_FLOOR } from "../predictions/log-space.js";
import { CLASSES } from "../predictions/prediction-table.js";
import {
  checkLabels,
  memberRows,
  normaliseWeights,
  weightedSum,
  type EnsembleStrategy,
  type StrategyJsonBase,
} from "./strategy.js";

/** How the simplex weights are searched. */
export interface OptimizeConfig {
  /** Most exponentiated-gradient steps. Defaults to `2000`. */
  maxIterations?: number;
  /** Stop when a step lowers the loss by less than this. Defaults to `1e-12`. */
  tolerance?: number;
}

/** A saved, fitted {@link OptimizeStrategy}. */
export interface OptimizeStrategyJson extends StrategyJsonBase<"optimize"> {
  /** The fitted simplex weights (non-negative, summing to 1), one per member. */
  readonly weights: number[];
}

/**
 * Mixture weights on the simplex minimising the log loss of `Σ_m w_m p_m` on labelled (out-of-fold) rows. The loss
 * is convex in `w`, so exponentiated gradient with a backtracking step reaches the optimum; the best single member
 * (a simplex vertex) is kept instead when it scores better, so the fit never loses to it on its own data.
 */
export class OptimizeStrategy implements EnsembleStrategy {
  readonly name = "optimize";
  private weights: Float64Array | undefined;

  constructor(private readonly config: OptimizeConfig = {}) {}

  fit(members: readonly Float64Array[], labels: ArrayLike<number>): OptimizeStrategy {
    const rows = memberRows(this.name, members);
    checkLabels(this.name, rows, labels);
    const m = members.length;
    // p_m(true class) per row: all the loss depends on.
    const truth = members.map((member) => Float64Array.from({ length: rows }, (_, i) => Math.max(member[i * CLASSES + labels[i]], PROBABILITY_FLOOR)));
    const lossAt = (w: Float64Array, gradient?: Float64Array): number => {
      gradient?.fill(0);
      let loss = 0;
      for (let i = 0; i < rows; i++) {
        let mix = 0;
        for (let j = 0; j < m; j++) mix += w[j] * truth[j][i];
        loss -= Math.log(mix);
        if (gradient) for (let j = 0; j < m; j++) gradient[j] -= truth[j][i] / mix / rows;
      }
      return loss / rows;
    };
    let w = new Float64Array(m).fill(1 / m);
    const gradient = new Float64Array(m);
    let loss = lossAt(w, gradient);
    let step = 1;
    const maxIterations = this.config.maxIterations ?? 2000;
    const tolerance = this.config.tolerance ?? 1e-12;
    for (let iteration = 0; iteration < maxIterations && step > 1e-12; iteration++) {
      // The multiplicative update is shifted by its largest exponent before exp(): normalisation cancels the
      // shift, and without it a long run of accepted steps grows `step` until exp() overflows to Infinity.
      let shift = -Infinity;
      for (let j = 0; j < m; j++) shift = Math.max(shift, -step * gradient[j]);
      const next = new Float64Array(m);
      let sum = 0;
      for (let j = 0; j < m; j++) {
        next[j] = w[j] * Math.exp(-step * gradient[j] - shift);
        sum += next[j];
      }
      for (let j = 0; j < m; j++) next[j] /= sum;
      const nextLoss = lossAt(next);
      if (!(nextLoss <= loss)) {
        step /= 2;
        continue;
      }
      w = next;
      const decrease = loss - nextLoss;
      loss = lossAt(w, gradient);
      step *= 1.5;
      if (decrease < tolerance) break;
    }
    this.weights = this.bestOf(w, members, labels);
    return this;
  }

  /** The fitted weights or the best single member, whichever scores better with the Kaggle metric. */
  private bestOf(w: Float64Array, members: readonly Float64Array[], labels: ArrayLike<number>): Float64Array {
    let best = w;
    let bestLoss = logLoss(weightedSum(members, w), labels);
    members.forEach((member, j) => {
      const loss = logLoss(member, labels);
      if (loss < bestLoss) {
        bestLoss = loss;
        best = new Float64Array(members.length);
        best[j] = 1;
      }
    });
    return best;
  }

  predict(members: readonly Float64Array[]): Float64Array {
    const weights = this.fitted();
    memberRows(this.name, members, weights.length);
    return weightedSum(members, weights);
  }

  /** The fitted simplex weights, one per member. */
  fitted(): Float64Array {
    if (!this.weights) throw new EnsembleInputError("optimize: predict or save before fit");
    return this.weights;
  }

  toJSON(): OptimizeStrategyJson {
    const weights = this.fitted();
    return { strategy: "optimize", members: weights.length, weights: Array.from(weights) };
  }

  /** Rebuilds a strategy saved with {@link OptimizeStrategy.toJSON}, keeping its weights bit for bit. */
  static fromJSON(json: OptimizeStrategyJson): OptimizeStrategy {
    const strategy = new OptimizeStrategy();
    // The saved weights already sum to 1; keep them bit for bit rather than renormalising.
    normaliseWeights("optimize", json.weights, json.members);
    strategy.weights = Float64Array.from(json.weights);
    return strategy;
  }
}
