import { EnsembleInputError, ModelFormatError } from "../errors.js";
import { accumulateTransposedProduct, linearScores, type FeatureMatrix } from "./feature-matrix.js";
import { minimizeLbfgs } from "./lbfgs.js";

/** How a multinomial logistic regression is fitted. */
export interface LogisticRegressionOptions {
  /** L2 penalty `λ/2 · ‖W‖²` added to the mean log loss; intercepts are not penalised. Defaults to `1e-3`. */
  l2?: number;
  /** Most L-BFGS iterations. Defaults to `500`. */
  maxIter?: number;
  /** Stop when the largest gradient component is below this. Defaults to `1e-7`. */
  tolerance?: number;
  /** Number of classes; labels must lie in `[0, classes)`. Defaults to `3` (A wins, B wins, tie). */
  classes?: number;
}

/** The saved form of a fitted model; numbers survive JSON exactly, so reloaded predictions are identical. */
export interface LogisticRegressionJson {
  /** Format tag, checked on load. */
  readonly kind: "multinomial-logistic-regression";
  /** Number of classes (≥ 2). */
  readonly classes: number;
  /** Number of input feature columns. */
  readonly features: number;
  /** Row-major `classes × features`. */
  readonly weights: number[];
  /** One bias per class. */
  readonly intercepts: number[];
}

/**
 * Mean multinomial log loss plus `l2/2 · ‖W‖²` at `params = [W (classes × d, row-major), b (classes)]`;
 * writes the gradient into `gradient` when given. Exported for gradient checks.
 */
export function multinomialObjective(
  params: Float64Array,
  x: FeatureMatrix,
  labels: ArrayLike<number>,
  classes: number,
  l2: number,
  gradient?: Float64Array,
): number {
  const d = x.cols;
  const n = x.rows;
  const weights = params.subarray(0, classes * d);
  const bias = params.subarray(classes * d, classes * d + classes);
  const scores = new Float64Array(n * classes);
  linearScores(x, weights, bias, classes, scores);
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const row = i * classes;
    let max = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < classes; k++) max = Math.max(max, scores[row + k]);
    let sum = 0;
    for (let k = 0; k < classes; k++) sum += Math.exp(scores[row + k] - max);
    const logSum = max + Math.log(sum);
    loss += logSum - scores[row + labels[i]];
    // Turn the scores into the residual p - onehot(y), scaled by 1/n, for the gradient.
    for (let k = 0; k < classes; k++) scores[row + k] = Math.exp(scores[row + k] - logSum) / n;
    scores[row + labels[i]] -= 1 / n;
  }
  let penalty = 0;
  for (let j = 0; j < weights.length; j++) penalty += weights[j] * weights[j];
  if (gradient) {
    gradient.fill(0);
    accumulateTransposedProduct(x, scores, classes, gradient);
    for (let j = 0; j < weights.length; j++) gradient[j] += l2 * weights[j];
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < classes; k++) gradient[classes * d + k] += scores[i * classes + k];
    }
  }
  return loss / n + 0.5 * l2 * penalty;
}

/** Multinomial (softmax) logistic regression with an L2 penalty, fitted by L-BFGS in float64. */
export class LogisticRegression {
  private constructor(
    /** Number of classes the model scores. */
    readonly classes: number,
    /** Number of input feature columns it expects. */
    readonly features: number,
    /** Row-major `classes × features`. */
    readonly weights: Float64Array,
    /** One bias per class (not L2-penalised). */
    readonly intercepts: Float64Array,
  ) {}

  /** Fits on the rows of `x` with integer labels in `[0, classes)`. */
  static fit(x: FeatureMatrix, labels: ArrayLike<number>, options: LogisticRegressionOptions = {}): LogisticRegression {
    const classes = options.classes ?? 3;
    const l2 = options.l2 ?? 1e-3;
    if (!(l2 >= 0)) throw new EnsembleInputError(`logistic regression: l2 must be >= 0, got ${l2}`);
    if (labels.length !== x.rows) {
      throw new EnsembleInputError(`logistic regression: ${x.rows} rows but ${labels.length} labels`);
    }
    if (x.rows === 0) throw new EnsembleInputError("logistic regression: no training rows");
    for (let i = 0; i < labels.length; i++) {
      const label = labels[i];
      if (!Number.isInteger(label) || label < 0 || label >= classes) {
        throw new EnsembleInputError(`logistic regression: label ${i} is ${label}, expected an integer in [0, ${classes})`);
      }
    }
    const size = classes * x.cols + classes;
    const result = minimizeLbfgs(
      (params, gradient) => multinomialObjective(params, x, labels, classes, l2, gradient),
      new Float64Array(size),
      { maxIterations: options.maxIter ?? 500, gradientTolerance: options.tolerance ?? 1e-7 },
    );
    const params = result.x;
    return new LogisticRegression(
      classes,
      x.cols,
      params.slice(0, classes * x.cols),
      params.slice(classes * x.cols, size),
    );
  }

  /** Class probabilities, row-major `rows × classes`. */
  predictProba(x: FeatureMatrix): Float64Array {
    if (x.cols !== this.features) {
      throw new EnsembleInputError(`logistic regression: model has ${this.features} features, input has ${x.cols}`);
    }
    const k = this.classes;
    const out = new Float64Array(x.rows * k);
    linearScores(x, this.weights, this.intercepts, k, out);
    for (let i = 0; i < x.rows; i++) {
      const row = i * k;
      let max = Number.NEGATIVE_INFINITY;
      for (let c = 0; c < k; c++) max = Math.max(max, out[row + c]);
      let sum = 0;
      for (let c = 0; c < k; c++) {
        out[row + c] = Math.exp(out[row + c] - max);
        sum += out[row + c];
      }
      for (let c = 0; c < k; c++) out[row + c] /= sum;
    }
    return out;
  }

  /** The fitted parameters as plain JSON; {@link LogisticRegression.fromJSON} restores them exactly. */
  toJSON(): LogisticRegressionJson {
    return {
      kind: "multinomial-logistic-regression",
      classes: this.classes,
      features: this.features,
      weights: Array.from(this.weights),
      intercepts: Array.from(this.intercepts),
    };
  }

  /** Rebuilds a model saved with {@link LogisticRegression.toJSON}; throws {@link ModelFormatError} on wrong sizes or non-finite parameters. */
  static fromJSON(json: LogisticRegressionJson): LogisticRegression {
    const what = "multinomial logistic regression JSON";
    if (json?.kind !== "multinomial-logistic-regression") {
      throw new ModelFormatError(what, `kind is ${JSON.stringify(json?.kind)}, expected "multinomial-logistic-regression"`);
    }
    const { classes, features, weights, intercepts } = json;
    if (!Number.isInteger(classes) || classes < 2 || !Number.isInteger(features) || features < 0) {
      throw new ModelFormatError(what, `classes ${classes} / features ${features} are not valid sizes`);
    }
    if (!Array.isArray(weights) || weights.length !== classes * features) {
      throw new ModelFormatError(what, `weights must hold ${classes * features} numbers`);
    }
    if (!Array.isArray(intercepts) || intercepts.length !== classes) {
      throw new ModelFormatError(what, `intercepts must hold ${classes} numbers`);
    }
    if (![...weights, ...intercepts].every(Number.isFinite)) throw new ModelFormatError(what, "non-finite parameter");
    return new LogisticRegression(classes, features, Float64Array.from(weights), Float64Array.from(intercepts));
  }
}
