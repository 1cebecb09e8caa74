import { ModelFormatError } from "../errors.js";
import { LogitMeanStrategy, type LogitMeanConfig, type LogitMeanStrategyJson } from "./logit-mean.js";
import { MeanStrategy, type MeanStrategyJson } from "./mean.js";
import { OptimizeStrategy, type OptimizeConfig, type OptimizeStrategyJson } from "./optimize.js";
import { StackStrategy, type StackConfig, type StackStrategyJson } from "./stack.js";
import type { EnsembleStrategy, StrategyName } from "./strategy.js";
import { TemperatureStrategy, type TemperatureStrategyJson } from "./temperature.js";
import { WeightedStrategy, type WeightedConfig, type WeightedStrategyJson } from "./weighted.js";

/** Each strategy's configuration, by name. */
export interface StrategyConfigs {
  /** None: the mean has nothing to configure. */
  mean: Record<string, never>;
  /** The fixed member weights. */
  weighted: WeightedConfig;
  /** Optional fixed member weights of the geometric mean. */
  "logit-mean": LogitMeanConfig;
  /** Iteration limit and tolerance of the simplex-weight search. */
  optimize: OptimizeConfig;
  /** The stacker's L2 penalty. */
  stack: StackConfig;
  /** None: temperatures are fitted, not configured. */
  temperature: Record<string, never>;
}

/** Any saved strategy. */
export type StrategyJson =
  | MeanStrategyJson
  | WeightedStrategyJson
  | LogitMeanStrategyJson
  | OptimizeStrategyJson
  | StackStrategyJson
  | TemperatureStrategyJson;

/** Name → factory, exhaustive over {@link StrategyName}. */
export const STRATEGIES = {
  mean: () => new MeanStrategy(),
  weighted: (config: WeightedConfig = {}) => new WeightedStrategy(config),
  "logit-mean": (config: LogitMeanConfig = {}) => new LogitMeanStrategy(config),
  optimize: (config: OptimizeConfig = {}) => new OptimizeStrategy(config),
  stack: (config: StackConfig = {}) => new StackStrategy(config),
  temperature: () => new TemperatureStrategy(),
} as const satisfies { [N in StrategyName]: (config?: StrategyConfigs[N]) => EnsembleStrategy };

/** The strategy names, in the order the CLI lists them. */
export const STRATEGY_NAMES = Object.keys(STRATEGIES) as StrategyName[];

/** A new, unfitted strategy. */
export function createStrategy<N extends StrategyName>(name: N, config?: StrategyConfigs[N]): EnsembleStrategy {
  const factory = STRATEGIES[name] as (config?: StrategyConfigs[N]) => EnsembleStrategy;
  return factory(config);
}

const LOADERS: { [N in StrategyName]: (json: Extract<StrategyJson, { strategy: N }>) => EnsembleStrategy } = {
  mean: MeanStrategy.fromJSON,
  weighted: WeightedStrategy.fromJSON,
  "logit-mean": LogitMeanStrategy.fromJSON,
  optimize: OptimizeStrategy.fromJSON,
  stack: StackStrategy.fromJSON,
  temperature: TemperatureStrategy.fromJSON,
};

/** Rebuilds a strategy saved with `toJSON()`; it predicts exactly as the saved one did. */
export function loadStrategy(json: unknown): EnsembleStrategy {
  const what = "ensemble strategy JSON";
  if (typeof json !== "object" || json === null) throw new ModelFormatError(what, "expected an object");
  const { strategy, members } = json as { strategy?: unknown; members?: unknown };
  if (typeof strategy !== "string" || !Object.hasOwn(LOADERS, strategy)) {
    throw new ModelFormatError(what, `strategy is ${JSON.stringify(strategy)}, expected one of ${STRATEGY_NAMES.join(", ")}`);
  }
  if (!Number.isInteger(members) || (members as number) < 0) {
    throw new ModelFormatError(what, `members is ${JSON.stringify(members)}, expected a non-negative integer`);
  }
  const load = LOADERS[strategy as StrategyName] as (json: StrategyJson) => EnsembleStrategy;
  return load(json as StrategyJson);
}
