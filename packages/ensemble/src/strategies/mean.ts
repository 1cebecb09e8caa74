import { memberRows, weightedSum, type EnsembleStrategy, type StrategyJsonBase } from "./strategy.js";

/** A saved {@link MeanStrategy}: no parameters beyond the member count (0 when never fitted). */
export type MeanStrategyJson = StrategyJsonBase<"mean">;

/** The arithmetic mean of the members' probabilities. */
export class MeanStrategy implements EnsembleStrategy {
  readonly name = "mean";
  private members: number | undefined;

  fit(members: readonly Float64Array[]): MeanStrategy {
    memberRows(this.name, members);
    this.members = members.length;
    return this;
  }

  predict(members: readonly Float64Array[]): Float64Array {
    memberRows(this.name, members, this.members);
    return weightedSum(members, new Float64Array(members.length).fill(1 / members.length));
  }

  toJSON(): MeanStrategyJson {
    return { strategy: "mean", members: this.members ?? 0 };
  }

  /** Rebuilds a strategy saved with {@link MeanStrategy.toJSON}. */
  static fromJSON(json: MeanStrategyJson): MeanStrategy {
    const strategy = new MeanStrategy();
    strategy.members = json.members > 0 ? json.members : undefined;
    return strategy;
  }
}
