import { memberRows, normaliseWeights, weightedSum, type EnsembleStrategy, type StrategyJsonBase } from "./strategy.js";

/** Fixed weights for a weighted mean. */
export interface WeightedConfig {
  /** One weight per member, normalised to sum to 1. Defaults to `[0.7, 0.3]` (the paper's blend). */
  weights?: readonly number[];
}

/** A saved {@link WeightedStrategy}. */
export interface WeightedStrategyJson extends StrategyJsonBase<"weighted"> {
  /** The normalised weights (summing to 1), one per member. */
  readonly weights: number[];
}

/** A weighted mean of the members' probabilities with weights given up front. */
export class WeightedStrategy implements EnsembleStrategy {
  readonly name = "weighted";
  private weights: Float64Array;

  constructor(config: WeightedConfig = {}) {
    this.weights = normaliseWeights(this.name, config.weights ?? [0.7, 0.3]);
  }

  /** The normalised weights, one per member. */
  fitted(): Float64Array {
    return this.weights;
  }

  fit(members: readonly Float64Array[]): WeightedStrategy {
    memberRows(this.name, members, this.weights.length);
    return this;
  }

  predict(members: readonly Float64Array[]): Float64Array {
    memberRows(this.name, members, this.weights.length);
    return weightedSum(members, this.weights);
  }

  toJSON(): WeightedStrategyJson {
    return { strategy: "weighted", members: this.weights.length, weights: Array.from(this.weights) };
  }

  /** Rebuilds a strategy saved with {@link WeightedStrategy.toJSON}, keeping its weights bit for bit. */
  static fromJSON(json: WeightedStrategyJson): WeightedStrategy {
    const strategy = new WeightedStrategy({ weights: json.weights });
    normaliseWeights("weighted", json.weights, json.members);
    // The saved weights already sum to 1; keep them bit for bit rather than renormalising.
    strategy.weights = Float64Array.from(json.weights);
    return strategy;
  }
}
