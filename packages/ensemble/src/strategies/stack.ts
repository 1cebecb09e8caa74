import { EnsembleInputError } from "../errors.js";
import { denseMatrix } from "../models/feature-matrix.js";
import { LogisticRegression, type LogisticRegressionJson } from "../models/logistic-regression.js";
import { CLASSES } from "../predictions/prediction-table.js";
import { PROBABILITY_FLOOR } from "../predictions/log-space.js";
import { checkLabels, memberRows, type EnsembleStrategy, type StrategyJsonBase } from "./strategy.js";

/** The stacker's regularisation. */
export interface StackConfig {
  /** L2 penalty of the multinomial logistic regression. Defaults to `1e-2`. */
  l2?: number;
}

/** A saved, fitted {@link StackStrategy}. */
export interface StackStrategyJson extends StrategyJsonBase<"stack"> {
  /** The stacker: a logistic regression over `members × 3` log-probability inputs. */
  readonly model: LogisticRegressionJson;
}

/** Stacking: a regularised multinomial logistic regression on the members' clipped log-probabilities. */
export class StackStrategy implements EnsembleStrategy {
  readonly name = "stack";
  private model: LogisticRegression | undefined;

  constructor(private readonly config: StackConfig = {}) {}

  fit(members: readonly Float64Array[], labels: ArrayLike<number>): StackStrategy {
    checkLabels(this.name, memberRows(this.name, members), labels);
    this.model = LogisticRegression.fit(stackFeatures(members), labels, { l2: this.config.l2 ?? 1e-2 });
    return this;
  }

  predict(members: readonly Float64Array[]): Float64Array {
    const model = this.fitted();
    memberRows(this.name, members, model.features / CLASSES);
    return model.predictProba(stackFeatures(members));
  }

  /** The fitted stacker; throws {@link EnsembleInputError} before `fit`. */
  fitted(): LogisticRegression {
    if (!this.model) throw new EnsembleInputError("stack: predict or save before fit");
    return this.model;
  }

  toJSON(): StackStrategyJson {
    const model = this.fitted();
    return { strategy: "stack", members: model.features / CLASSES, model: model.toJSON() };
  }

  /** Rebuilds a strategy saved with {@link StackStrategy.toJSON}; throws when the model's inputs are not `members × 3`. */
  static fromJSON(json: StackStrategyJson): StackStrategy {
    const strategy = new StackStrategy();
    strategy.model = LogisticRegression.fromJSON(json.model);
    if (strategy.model.features !== json.members * CLASSES) {
      throw new EnsembleInputError(`stack JSON: model has ${strategy.model.features} inputs, expected ${json.members * CLASSES}`);
    }
    return strategy;
  }
}

/** Row `i` holds `log p_m(i, k)` for every member `m` and class `k`. */
function stackFeatures(members: readonly Float64Array[]) {
  const rows = members[0].length / CLASSES;
  const cols = members.length * CLASSES;
  const data = new Float64Array(rows * cols);
  members.forEach((member, m) => {
    for (let i = 0; i < rows; i++) {
      for (let k = 0; k < CLASSES; k++) {
        data[i * cols + m * CLASSES + k] = Math.log(Math.max(member[i * CLASSES + k], PROBABILITY_FLOOR));
      }
    }
  });
  return denseMatrix(data, rows, cols);
}
