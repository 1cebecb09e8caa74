import { clippedLog, softmaxRowsInPlace } from "../predictions/log-space.js";
import {
  memberRows,
  normaliseWeights,
  weightedSum,
  type EnsembleStrategy,
  type StrategyJsonBase,
} from "./strategy.js";

/** Weights of a geometric (logit) mean. */
export interface LogitMeanConfig {
  /** One weight per member, normalised to sum to 1. Defaults to equal weights. */
  weights?: readonly number[];
}

/** A saved {@link LogitMeanStrategy}. */
export interface LogitMeanStrategyJson extends StrategyJsonBase<"logit-mean"> {
  /** The normalised weights (summing to 1), one per member; empty for equal weights. */
  readonly weights: number[];
}

/**
 * The normalised weighted geometric mean `p ∝ Π_m p_m^{w_m}`: the softmax of the weighted mean of the members'
 * log-probabilities (clipped at 1e-15), i.e. averaging in logit space.
 */
export class LogitMeanStrategy implements EnsembleStrategy {
  readonly name = "logit-mean";
  private weights: Float64Array | undefined;
  private members: number | undefined;

  constructor(config: LogitMeanConfig = {}) {
    if (config.weights) {
      this.weights = normaliseWeights(this.name, config.weights);
      this.members = this.weights.length;
    }
  }

  fit(members: readonly Float64Array[]): LogitMeanStrategy {
    memberRows(this.name, members, this.members);
    this.members = members.length;
    return this;
  }

  predict(members: readonly Float64Array[]): Float64Array {
    memberRows(this.name, members, this.members);
    const weights = this.weights ?? new Float64Array(members.length).fill(1 / members.length);
    return softmaxRowsInPlace(weightedSum(members.map(clippedLog), weights));
  }

  toJSON(): LogitMeanStrategyJson {
    return { strategy: "logit-mean", members: this.members ?? 0, weights: this.weights ? Array.from(this.weights) : [] };
  }

  /** Rebuilds a strategy saved with {@link LogitMeanStrategy.toJSON}, keeping its weights bit for bit. */
  static fromJSON(json: LogitMeanStrategyJson): LogitMeanStrategy {
    const weights = Array.isArray(json.weights) ? json.weights : [];
    const strategy = new LogitMeanStrategy(weights.length > 0 ? { weights } : {});
    // The saved weights already sum to 1; keep them bit for bit rather than renormalising.
    if (weights.length > 0) strategy.weights = Float64Array.from(weights);
    if (json.members > 0) strategy.members = json.members;
    return strategy;
  }
}
