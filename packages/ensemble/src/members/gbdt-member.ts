import { Rng } from "@lora-litee/lora";
import { ModelFormatError } from "../errors.js";
import { RICH_FEATURES, richFeatures } from "../features/rich-features.js";
import type { PairText } from "../features/pair-text.js";
import { swapFeatureRows, withSwaps } from "../features/swap-features.js";
import { GradientBoostedTrees } from "../gbdt/booster.js";
import type { GbdtJson } from "../gbdt/booster.js";
import { resolveGbdtOptions } from "../gbdt/options.js";
import type { GbdtOptions } from "../gbdt/options.js";
import { stratifiedHoldout, takeLabels, takeRows } from "../gbdt/training-data.js";
import { swapAverage } from "../predictions/swap.js";
import { checkFeatureNames } from "./feature-importance.js";
import type { FeatureImportance } from "./feature-importance.js";
import { trainingLabels } from "./pair-row.js";
import type { PairRow } from "./pair-row.js";

/** The saved form of a {@link GbdtMember}. */
export interface GbdtMemberJson {
  /** Format tag that {@link loadMember} dispatches on. */
  readonly kind: "gbdt-member";
  /** Feature columns the booster reads, checked on load against {@link RICH_FEATURES}. */
  readonly features: string[];
  /** The trained booster. */
  readonly booster: GbdtJson;
}

/**
 * Rich pair features + histogram GBDT. Trained on every pair and its A/B swap (the early-stopping split is drawn
 * over pairs, so a pair and its swap stay on one side), and predicts the mean of a pair and its mapped-back swap:
 * swapping A and B in the input swaps the A/B probabilities exactly.
 */
export class GbdtMember {
  /** Member kind, as in {@link MemberKind}. */
  readonly kind = "gbdt";

  private constructor(private readonly booster: GradientBoostedTrees) {}

  /** Trains on labelled rows plus their swaps, holding out a stratified share of pairs for early stopping when enabled. */
  static fit(rows: readonly PairRow[], options: GbdtOptions = {}): GbdtMember {
    const o = resolveGbdtOptions(options);
    const labels = trainingLabels("gbdt member", rows, false);
    const x = richFeatures(rows);
    const early = o.earlyStoppingRounds > 0 && o.validationFraction > 0;
    if (!early) {
      const all = withSwaps(x, labels, RICH_FEATURES);
      return new GbdtMember(GradientBoostedTrees.train(all.x, all.labels, 3, o));
    }
    // A seed derived from, not equal to, the booster's, so the holdout and the row subsampling draw independently.
    const split = stratifiedHoldout(labels, 3, o.validationFraction, new Rng(o.seed ^ 0x5bd1e995));
    const train = withSwaps(takeRows(x, split.train), takeLabels(labels, split.train), RICH_FEATURES);
    const valid = withSwaps(takeRows(x, split.valid), takeLabels(labels, split.valid), RICH_FEATURES);
    return new GbdtMember(GradientBoostedTrees.train(train.x, train.labels, 3, o, valid));
  }

  /** Probabilities `rows × 3` (A wins, B wins, tie), swap-averaged. */
  predict(rows: readonly PairText[]): Float64Array {
    const x = richFeatures(rows);
    return swapAverage(this.booster.predictProba(x), this.booster.predictProba(swapFeatureRows(x, RICH_FEATURES)));
  }

  /** Share of the total split gain per feature, largest first. */
  importances(): FeatureImportance[] {
    const gain = this.booster.featureImportance();
    return RICH_FEATURES.map((f, j) => ({ name: f.name, doc: f.doc, importance: gain[j] })).sort(
      (a, b) => b.importance - a.importance,
    );
  }

  /** Boosting rounds kept after early stopping. */
  get rounds(): number {
    return this.booster.rounds;
  }

  /** The booster and its feature names as plain JSON. */
  toJSON(): GbdtMemberJson {
    return { kind: "gbdt-member", features: RICH_FEATURES.map((f) => f.name), booster: this.booster.toJSON() };
  }

  /** Rebuilds a member saved with {@link GbdtMember.toJSON}; throws {@link ModelFormatError} on another kind or feature list. */
  static fromJSON(json: GbdtMemberJson): GbdtMember {
    if (json?.kind !== "gbdt-member") {
      throw new ModelFormatError("gbdt member JSON", `kind is ${JSON.stringify(json?.kind)}, expected "gbdt-member"`);
    }
    checkFeatureNames("gbdt member JSON", json.features);
    return new GbdtMember(GradientBoostedTrees.fromJSON(json.booster));
  }
}
