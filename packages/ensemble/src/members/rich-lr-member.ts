import { ModelFormatError } from "../errors.js";
import { RICH_FEATURES, richFeatures } from "../features/rich-features.js";
import type { PairText } from "../features/pair-text.js";
import { swapFeatureRows, withSwaps } from "../features/swap-features.js";
import { LogisticRegression } from "../models/logistic-regression.js";
import type { LogisticRegressionJson } from "../models/logistic-regression.js";
import { Standardizer } from "../models/standardizer.js";
import type { StandardizerJson } from "../models/standardizer.js";
import { swapAverage } from "../predictions/swap.js";
import { checkFeatureNames } from "./feature-importance.js";
import type { FeatureImportance } from "./feature-importance.js";
import { trainingLabels } from "./pair-row.js";
import type { PairRow } from "./pair-row.js";

/** Options of {@link RichLrMember.fit}. */
export interface RichLrOptions {
  /** L2 penalty on the standardised weights (mean log loss + l2/2·‖W‖²); best of 0.001–1 in 5-fold CV on the arena rows. Defaults to `0.1`. */
  l2?: number;
}

/** The saved form of a {@link RichLrMember}. */
export interface RichLrMemberJson {
  /** Format tag that {@link loadMember} dispatches on. */
  readonly kind: "rich-lr-member";
  /** Feature columns the model reads, checked on load against {@link RICH_FEATURES}. */
  readonly features: string[];
  /** Per-feature mean and scale applied before the model. */
  readonly standardizer: StandardizerJson;
  /** The multinomial logistic regression on the standardised features. */
  readonly model: LogisticRegressionJson;
}

/**
 * Rich pair features, standardised, + multinomial logistic regression. Trained on every pair and its A/B swap and
 * predicts the swap average, so swapping A and B swaps the A/B probabilities exactly.
 */
export class RichLrMember {
  /** Member kind, as in {@link MemberKind}. */
  readonly kind = "rich-lr";

  private constructor(
    private readonly standardizer: Standardizer,
    private readonly model: LogisticRegression,
  ) {}

  /** Trains on labelled rows and their A/B swaps; every row must be labelled. */
  static fit(rows: readonly PairRow[], options: RichLrOptions = {}): RichLrMember {
    const labels = trainingLabels("rich-lr member", rows, false);
    const all = withSwaps(richFeatures(rows), labels, RICH_FEATURES);
    const standardizer = Standardizer.fit(all.x);
    const model = LogisticRegression.fit(standardizer.transform(all.x), all.labels, { l2: options.l2 ?? 0.1, classes: 3 });
    return new RichLrMember(standardizer, model);
  }

  /** Probabilities `rows × 3` (A wins, B wins, tie), swap-averaged. */
  predict(rows: readonly PairText[]): Float64Array {
    const x = richFeatures(rows);
    const p = (m: typeof x) => this.model.predictProba(this.standardizer.transform(m));
    return swapAverage(p(x), p(swapFeatureRows(x, RICH_FEATURES)));
  }

  /**
   * Share of Σ_classes |weight| on the standardised features: how far one standard deviation of a feature moves
   * the class scores. Largest first.
   */
  importances(): FeatureImportance[] {
    const { weights, features, classes } = this.model;
    const size = new Float64Array(features);
    for (let k = 0; k < classes; k++) for (let j = 0; j < features; j++) size[j] += Math.abs(weights[k * features + j]);
    const total = size.reduce((a, b) => a + b, 0) || 1;
    return RICH_FEATURES.map((f, j) => ({ name: f.name, doc: f.doc, importance: size[j] / total })).sort(
      (a, b) => b.importance - a.importance,
    );
  }

  /** The standardizer, model and feature names as plain JSON. */
  toJSON(): RichLrMemberJson {
    return {
      kind: "rich-lr-member",
      features: RICH_FEATURES.map((f) => f.name),
      standardizer: this.standardizer.toJSON(),
      model: this.model.toJSON(),
    };
  }

  /** Rebuilds a member saved with {@link RichLrMember.toJSON}; throws {@link ModelFormatError} on another kind or feature list. */
  static fromJSON(json: RichLrMemberJson): RichLrMember {
    if (json?.kind !== "rich-lr-member") {
      throw new ModelFormatError("rich-lr member JSON", `kind is ${JSON.stringify(json?.kind)}, expected "rich-lr-member"`);
    }
    checkFeatureNames("rich-lr member JSON", json.features);
    return new RichLrMember(Standardizer.fromJSON(json.standardizer), LogisticRegression.fromJSON(json.model));
  }
}
