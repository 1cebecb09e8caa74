import type { PairText } from "../features/pair-text.js";
import { swapPair } from "../features/pair-text.js";
import { ModelFormatError } from "../errors.js";
import { LogisticRegression, type LogisticRegressionJson } from "../models/logistic-regression.js";
import { Standardizer, type StandardizerJson } from "../models/standardizer.js";
import { swapAverage } from "../predictions/swap.js";
import { LENGTH_FEATURES, lengthFeatures } from "./length-features.js";
import { trainingLabels, withSwappedRows, type PairRow } from "./pair-row.js";

/** How the length member is trained. */
export interface LengthMemberOptions {
  /** L2 penalty of the logistic regression on standardised features (chosen by 5-fold CV on the arena dev rows). Defaults to `0.3`. */
  l2?: number;
}

/** The saved form of a {@link LengthMember}. */
export interface LengthMemberJson {
  /** Format tag that {@link loadMember} dispatches on. */
  readonly kind: "length-member";
  /** Feature names, so a model saved with another feature set is refused. */
  readonly features: string[];
  /** Per-feature mean and scale applied before the model. */
  readonly standardizer: StandardizerJson;
  /** The multinomial logistic regression on the standardised features. */
  readonly model: LogisticRegressionJson;
}

/**
 * Length and structure features with a multinomial logistic regression. Trained on every row and its A/B-swapped
 * twin, and predicts with swap averaging, so a swapped row gets exactly the swapped probabilities.
 */
export class LengthMember {
  /** Member kind, as in {@link MemberKind}. */
  readonly kind = "length";

  private constructor(
    private readonly standardizer: Standardizer,
    private readonly model: LogisticRegression,
  ) {}

  /** Trains on labelled rows and their A/B-swapped twins; throws a TypeError if a row has no label. */
  static fit(rows: readonly PairRow[], options: LengthMemberOptions = {}): LengthMember {
    const labels = trainingLabels("length member", rows, true);
    const features = lengthFeatures(withSwappedRows(rows));
    const standardizer = Standardizer.fit(features);
    const model = LogisticRegression.fit(standardizer.transform(features), labels, { l2: options.l2 ?? 0.3 });
    return new LengthMember(standardizer, model);
  }

  /** Probabilities `[A, B, tie]` per row, row-major. */
  predict(rows: readonly PairText[]): Float64Array {
    const original = this.model.predictProba(this.standardizer.transform(lengthFeatures(rows)));
    const swapped = this.model.predictProba(this.standardizer.transform(lengthFeatures(rows.map(swapPair))));
    return swapAverage(original, swapped);
  }

  /** The fitted standardizer and model as plain JSON. */
  toJSON(): LengthMemberJson {
    return {
      kind: "length-member",
      features: [...LENGTH_FEATURES],
      standardizer: this.standardizer.toJSON(),
      model: this.model.toJSON(),
    };
  }

  /** Rebuilds a member saved with {@link LengthMember.toJSON}; throws {@link ModelFormatError} on another kind or feature set. */
  static fromJSON(json: LengthMemberJson): LengthMember {
    if (json?.kind !== "length-member") throw new ModelFormatError("length member JSON", `kind is ${JSON.stringify(json?.kind)}`);
    if (JSON.stringify(json.features) !== JSON.stringify(LENGTH_FEATURES)) {
      throw new ModelFormatError("length member JSON", "saved with a different feature set than this version computes");
    }
    return new LengthMember(Standardizer.fromJSON(json.standardizer), LogisticRegression.fromJSON(json.model));
  }
}
