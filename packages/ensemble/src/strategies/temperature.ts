import { applyTemperature, fitTemperature } from "../calibration/temperature-scaling.js";
import { EnsembleInputError } from "../errors.js";
import { checkLabels, memberRows, weightedSum, type EnsembleStrategy, type StrategyJsonBase } from "./strategy.js";

/** A saved, fitted {@link TemperatureStrategy}. */
export interface TemperatureStrategyJson extends StrategyJsonBase<"temperature"> {
  /** One fitted temperature (> 0) per member. */
  readonly temperatures: number[];
}

/** Per-member temperature scaling fitted on labelled rows, then the arithmetic mean of the calibrated members. */
export class TemperatureStrategy implements EnsembleStrategy {
  readonly name = "temperature";
  private temperatures: Float64Array | undefined;

  fit(members: readonly Float64Array[], labels: ArrayLike<number>): TemperatureStrategy {
    checkLabels(this.name, memberRows(this.name, members), labels);
    this.temperatures = Float64Array.from(members, (member) => fitTemperature(member, labels));
    return this;
  }

  predict(members: readonly Float64Array[]): Float64Array {
    const temperatures = this.fitted();
    memberRows(this.name, members, temperatures.length);
    const calibrated = members.map((member, m) => applyTemperature(member, temperatures[m]));
    return weightedSum(calibrated, new Float64Array(members.length).fill(1 / members.length));
  }

  /** The fitted temperatures, one per member. */
  fitted(): Float64Array {
    if (!this.temperatures) throw new EnsembleInputError("temperature: predict or save before fit");
    return this.temperatures;
  }

  toJSON(): TemperatureStrategyJson {
    const temperatures = this.fitted();
    return { strategy: "temperature", members: temperatures.length, temperatures: Array.from(temperatures) };
  }

  /** Rebuilds a strategy saved with {@link TemperatureStrategy.toJSON}; throws unless there is one positive temperature per member. */
  static fromJSON(json: TemperatureStrategyJson): TemperatureStrategy {
    const strategy = new TemperatureStrategy();
    if (!Array.isArray(json.temperatures) || json.temperatures.length !== json.members || !json.temperatures.every((t) => t > 0)) {
      throw new EnsembleInputError(`temperature JSON: expected ${json.members} positive temperatures`);
    }
    strategy.temperatures = Float64Array.from(json.temperatures);
    return strategy;
  }
}
