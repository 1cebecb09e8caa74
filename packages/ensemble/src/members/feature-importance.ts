import { ModelFormatError } from "../errors.js";
import { RICH_FEATURES } from "../features/rich-features.js";

/** How much a fitted member leans on one feature (what `litee baseline --explain` prints). */
export interface FeatureImportance {
  /** The feature's name, as in {@link RICH_FEATURES}. */
  readonly name: string;
  /** One line on what the feature measures. */
  readonly doc: string;
  /** Non-negative share; a member's importances sum to 1. */
  readonly importance: number;
}

/** Throws unless a saved member's feature list is today's {@link RICH_FEATURES}, naming the first difference. */
export function checkFeatureNames(what: string, names: unknown): void {
  if (!Array.isArray(names)) throw new ModelFormatError(what, "`features` must be an array of feature names");
  const expected = RICH_FEATURES.map((f) => f.name);
  const at = expected.findIndex((name, j) => names[j] !== name);
  if (at >= 0 || names.length !== expected.length) {
    const j = at >= 0 ? at : expected.length;
    throw new ModelFormatError(
      what,
      `feature ${j} is ${JSON.stringify(names[j])}, this version computes ${JSON.stringify(expected[j])} (${names.length} vs ${expected.length} features): retrain the member`,
    );
  }
}
