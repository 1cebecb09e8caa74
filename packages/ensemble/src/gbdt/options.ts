import { GbdtOptionsError } from "./errors.js";

/** Options of {@link GradientBoostedTrees.train}. Defaults are regularised for a few thousand noisy rows. */
export interface GbdtOptions {
  /** Boosting rounds at most (each round adds one tree per class). Defaults to `500`. */
  maxRounds?: number;
  /** Shrinkage applied to every leaf value. Defaults to `0.05`. */
  learningRate?: number;
  /** Maximum tree depth (a depth-d tree has at most 2^d leaves). Defaults to `3`. */
  maxDepth?: number;
  /** Fewest training rows a leaf may hold. Defaults to `40`. */
  minSamplesLeaf?: number;
  /** Smallest hessian sum a leaf may hold, which keeps near-certain rows from producing huge leaf values. Defaults to `1e-3`. */
  minHessianLeaf?: number;
  /** L2 penalty on leaf values (XGBoost's lambda). Defaults to `1`. */
  l2?: number;
  /** Smallest loss reduction a split must bring (XGBoost's gamma). Defaults to `0`. */
  minSplitGain?: number;
  /** Fraction of training rows drawn, without replacement, for each round. Defaults to `0.8`. */
  subsample?: number;
  /** Fraction of features each tree may split on. Defaults to `1`. */
  colsampleByTree?: number;
  /** Bins per feature, at most 255 (bins are stored as bytes). Defaults to `255`. */
  maxBins?: number;
  /** Stop after this many rounds without a better validation loss; 0 turns early stopping off. Defaults to `30`. */
  earlyStoppingRounds?: number;
  /** Fraction of rows held out (stratified) as the early-stopping validation split. Defaults to `0.1`. */
  validationFraction?: number;
  /** Seed of the row subsampling, column sampling and validation split. Defaults to `0`. */
  seed?: number;
}

/** Options with every default filled in and every value checked. */
export type ResolvedGbdtOptions = Required<GbdtOptions>;

/** The default value of every {@link GbdtOptions} field (frozen). */
export const GBDT_DEFAULTS: ResolvedGbdtOptions = Object.freeze({
  maxRounds: 500,
  learningRate: 0.05,
  maxDepth: 3,
  minSamplesLeaf: 40,
  minHessianLeaf: 1e-3,
  l2: 1,
  minSplitGain: 0,
  subsample: 0.8,
  colsampleByTree: 1,
  maxBins: 255,
  earlyStoppingRounds: 30,
  validationFraction: 0.1,
  seed: 0,
});

/** Fills defaults and throws {@link GbdtOptionsError} naming the first field out of range. */
export function resolveGbdtOptions(options: GbdtOptions = {}): ResolvedGbdtOptions {
  const o: ResolvedGbdtOptions = { ...GBDT_DEFAULTS };
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    if (!(key in GBDT_DEFAULTS)) throw new GbdtOptionsError(key, value, `one of ${Object.keys(GBDT_DEFAULTS).join(", ")}`);
    (o as Record<string, number>)[key] = value as number;
  }
  integer(o, "maxRounds", 1, 1e6);
  range(o, "learningRate", 0, 10, false);
  integer(o, "maxDepth", 1, 16);
  integer(o, "minSamplesLeaf", 1, Number.MAX_SAFE_INTEGER);
  range(o, "minHessianLeaf", 0, Infinity, true);
  range(o, "l2", 0, Infinity, true);
  range(o, "minSplitGain", 0, Infinity, true);
  range(o, "subsample", 0, 1, false);
  range(o, "colsampleByTree", 0, 1, false);
  integer(o, "maxBins", 2, 255);
  integer(o, "earlyStoppingRounds", 0, 1e6);
  if (!(o.validationFraction >= 0 && o.validationFraction < 1)) {
    throw new GbdtOptionsError("validationFraction", o.validationFraction, "a number in [0, 1)");
  }
  integer(o, "seed", 0, 0xffffffff);
  return o;
}

function integer(o: ResolvedGbdtOptions, field: keyof ResolvedGbdtOptions, min: number, max: number): void {
  const v = o[field];
  if (!Number.isInteger(v) || v < min || v > max) throw new GbdtOptionsError(field, v, `an integer in [${min}, ${max}]`);
}

/** `closedLow` admits the lower bound itself; the upper bound is always admitted. */
function range(o: ResolvedGbdtOptions, field: keyof ResolvedGbdtOptions, min: number, max: number, closedLow: boolean): void {
  const v = o[field];
  const ok = typeof v === "number" && (closedLow ? v >= min : v > min) && v <= max;
  if (!ok) throw new GbdtOptionsError(field, v, `a number in ${closedLow ? "[" : "("}${min}, ${max}]`);
}
