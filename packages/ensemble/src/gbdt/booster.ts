import type { DenseMatrix } from "../models/feature-matrix.js";
import { boost } from "./boosting-loop.js";
import type { GbdtHistory, ValidationSet } from "./boosting-loop.js";
import { GbdtFormatError } from "./errors.js";
import { resolveGbdtOptions } from "./options.js";
import type { GbdtOptions, ResolvedGbdtOptions } from "./options.js";
import { softmaxRows } from "./softmax-loss.js";
import { predictTree, treeFromJson, treeToJson } from "./tree.js";
import type { RegressionTree, RegressionTreeJson } from "./tree.js";
import { checkFeatureMatrix, checkLabels } from "./training-data.js";

/** Format tag of {@link GbdtJson}. */
export const GBDT_FORMAT = "lora-litee/gbdt";
/** Version of {@link GbdtJson} this code writes and reads. */
export const GBDT_FORMAT_VERSION = 1;

/** The serialised model: enough to reproduce predictions bit for bit. */
export interface GbdtJson {
  /** Format tag, always {@link GBDT_FORMAT}. */
  format: typeof GBDT_FORMAT;
  /** Format version, always {@link GBDT_FORMAT_VERSION}. */
  version: typeof GBDT_FORMAT_VERSION;
  /** Number of classes predicted. */
  nClasses: number;
  /** Number of feature columns the trees read. */
  nFeatures: number;
  /** Starting score of each class (log prior). */
  baseScores: number[];
  /** Options the model was trained with (for the record; prediction does not read them). */
  options: ResolvedGbdtOptions;
  /** Per-round training and validation losses, and the rounds kept. */
  history: GbdtHistory;
  /** Round-major trees: round r, class c at `r * nClasses + c`. */
  trees: RegressionTreeJson[];
}

/** A multiclass histogram gradient-boosted-trees model with softmax output. */
export class GradientBoostedTrees {
  private constructor(
    /** Classes predicted. */
    readonly nClasses: number,
    /** Feature columns expected. */
    readonly nFeatures: number,
    private readonly baseScores: Float64Array,
    private readonly trees: RegressionTree[],
    /** Options used in training. */
    readonly options: ResolvedGbdtOptions,
    /** Per-round training and validation losses. */
    readonly history: GbdtHistory,
  ) {}

  /**
   * Fits a model. `labels[i]` is the class of row i in [0, nClasses). Throws GbdtOptionsError or GbdtInputError.
   * The same inputs and options always give the same model. `validation`, when given, is the early-stopping set
   * (for callers whose rows are not independent, e.g. swap-augmented pairs that must stay on one side of the split).
   */
  static train(
    x: DenseMatrix,
    labels: ArrayLike<number>,
    nClasses: number,
    options: GbdtOptions = {},
    validation?: { x: DenseMatrix; labels: ArrayLike<number> },
  ): GradientBoostedTrees {
    const o = resolveGbdtOptions(options);
    checkFeatureMatrix(x);
    const y = checkLabels(labels, x.rows, nClasses);
    let valid: ValidationSet | undefined;
    if (validation) {
      checkFeatureMatrix(validation.x, x.cols);
      valid = { x: validation.x, labels: checkLabels(validation.labels, validation.x.rows, nClasses) };
    }
    const model = boost(x, y, nClasses, o, valid);
    return new GradientBoostedTrees(nClasses, x.cols, model.baseScores, model.trees, o, model.history);
  }

  /** Boosting rounds kept (trees ÷ classes). */
  get rounds(): number {
    return this.trees.length / this.nClasses;
  }

  /** Raw class scores, row-major `rows × nClasses`. */
  predictScores(x: DenseMatrix): Float64Array {
    checkFeatureMatrix(x, this.nFeatures);
    const k = this.nClasses;
    const out = new Float64Array(x.rows * k);
    for (let i = 0; i < x.rows; i++) out.set(this.baseScores, i * k);
    for (let t = 0; t < this.trees.length; t++) {
      const tree = this.trees[t];
      const c = t % k;
      for (let i = 0; i < x.rows; i++) out[i * k + c] += predictTree(tree, x.data, i, x.cols);
    }
    return out;
  }

  /** Class probabilities, row-major `rows × nClasses`, each row summing to 1. */
  predictProba(x: DenseMatrix): Float64Array {
    return softmaxRows(this.predictScores(x), this.nClasses);
  }

  /** Total split gain per feature, normalised to sum to 1 (all zeros when no tree split). */
  featureImportance(): Float64Array {
    const out = new Float64Array(this.nFeatures);
    for (const tree of this.trees) {
      for (let j = 0; j < tree.feature.length; j++) if (tree.feature[j] >= 0) out[tree.feature[j]] += tree.gain[j];
    }
    const total = out.reduce((a, b) => a + b, 0);
    return total > 0 ? out.map((v) => v / total) : out;
  }

  /** The whole model as plain JSON; {@link GradientBoostedTrees.fromJSON} reproduces its predictions bit for bit. */
  toJSON(): GbdtJson {
    return {
      format: GBDT_FORMAT,
      version: GBDT_FORMAT_VERSION,
      nClasses: this.nClasses,
      nFeatures: this.nFeatures,
      baseScores: Array.from(this.baseScores),
      options: { ...this.options },
      history: { ...this.history },
      trees: this.trees.map(treeToJson),
    };
  }

  /** Rebuilds a model from {@link toJSON} output (object or JSON text); throws GbdtFormatError naming the bad field. */
  static fromJSON(input: unknown): GradientBoostedTrees {
    const json = (typeof input === "string" ? JSON.parse(input) : input) as Partial<GbdtJson> | null;
    if (json?.format !== GBDT_FORMAT || json.version !== GBDT_FORMAT_VERSION) {
      throw new GbdtFormatError(
        `GBDT model: format ${JSON.stringify(json?.format)} version ${JSON.stringify(json?.version)}; expected "${GBDT_FORMAT}" version ${GBDT_FORMAT_VERSION}`,
      );
    }
    const { nClasses, nFeatures, baseScores, trees } = json;
    if (!Number.isInteger(nClasses) || (nClasses as number) < 2 || !Number.isInteger(nFeatures) || (nFeatures as number) < 1) {
      throw new GbdtFormatError(`GBDT model: nClasses ${nClasses} / nFeatures ${nFeatures}; expected integers ≥ 2 / ≥ 1`);
    }
    const k = nClasses as number;
    if (!Array.isArray(baseScores) || baseScores.length !== k) {
      throw new GbdtFormatError(`GBDT model: baseScores must hold ${k} numbers`);
    }
    if (!Array.isArray(trees) || trees.length % k !== 0) {
      throw new GbdtFormatError(`GBDT model: trees must be an array whose length is a multiple of ${k}`);
    }
    const parsed = trees.map((t, i) => treeFromJson(t, nFeatures as number, `GBDT model tree ${i}`));
    const options = resolveGbdtOptions(json.options ?? {});
    const history = json.history ?? { trainLoss: [], validLoss: [], bestRounds: trees.length / k };
    return new GradientBoostedTrees(k, nFeatures as number, Float64Array.from(baseScores), parsed, options, history);
  }
}
