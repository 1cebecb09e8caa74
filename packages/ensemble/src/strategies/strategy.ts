import { EnsembleInputError } from "../errors.js";
import { CLASSES } from "../predictions/prediction-table.js";

/** The ensemble strategies, by the name the CLI and the saved JSON use. */
export type StrategyName = "mean" | "weighted" | "logit-mean" | "optimize" | "stack" | "temperature";

/** The saved form every strategy shares: its name, member count and its own fields. */
export interface StrategyJsonBase<N extends StrategyName> {
  /** Which strategy saved this; {@link loadStrategy} dispatches on it. */
  readonly strategy: N;
  /** Number of members the strategy combines, in order. */
  readonly members: number;
}

/**
 * Combines aligned member predictions (each row-major `rows × 3`, same row order) into one prediction.
 * Strategies without parameters to learn predict without `fit`; the others need `fit` first.
 */
export interface EnsembleStrategy {
  /** The strategy's registry name, also written as `strategy` in its JSON. */
  readonly name: StrategyName;
  /** Learns the strategy's parameters from members' (out-of-fold) predictions and the true labels; returns itself. */
  fit(members: readonly Float64Array[], labels: ArrayLike<number>): EnsembleStrategy;
  /** Combines the members' predictions (each row-major `rows × 3`) into one row-major `rows × 3` probability array. */
  predict(members: readonly Float64Array[]): Float64Array;
  /** The strategy's fitted state as plain JSON, loadable with {@link loadStrategy}. */
  toJSON(): StrategyJsonBase<StrategyName>;
}

/** Checks that the members are non-empty, equally long, and (when given) as many as expected; returns the row count. */
export function memberRows(strategy: StrategyName, members: readonly Float64Array[], expected?: number): number {
  if (members.length === 0) throw new EnsembleInputError(`${strategy}: no members given`);
  if (expected !== undefined && members.length !== expected) {
    throw new EnsembleInputError(`${strategy}: fitted for ${expected} members, got ${members.length}`);
  }
  const length = members[0].length;
  members.forEach((member, m) => {
    if (member.length !== length || length % CLASSES !== 0) {
      throw new EnsembleInputError(`${strategy}: member ${m} has ${member.length / CLASSES} rows, member 0 has ${length / CLASSES}`);
    }
  });
  return length / CLASSES;
}

/** Checks the label count against the member rows. */
export function checkLabels(strategy: StrategyName, rows: number, labels: ArrayLike<number>): void {
  if (labels.length !== rows) throw new EnsembleInputError(`${strategy}: ${rows} prediction rows but ${labels.length} labels`);
  for (let i = 0; i < labels.length; i++) {
    if (!(labels[i] === 0 || labels[i] === 1 || labels[i] === 2)) {
      throw new EnsembleInputError(`${strategy}: label ${i} is ${labels[i]}, expected 0 (A), 1 (B) or 2 (tie)`);
    }
  }
}

/** Validates a weight vector (one non-negative finite weight per member, positive sum) and normalises it. */
export function normaliseWeights(strategy: StrategyName, weights: readonly number[], members?: number): Float64Array {
  if (members !== undefined && weights.length !== members) {
    throw new EnsembleInputError(`${strategy}: ${weights.length} weights for ${members} members`);
  }
  const bad = weights.findIndex((w) => !Number.isFinite(w) || w < 0);
  if (bad >= 0) throw new EnsembleInputError(`${strategy}: weight ${bad} is ${weights[bad]}, expected a finite number >= 0`);
  const sum = weights.reduce((a, b) => a + b, 0);
  if (!(sum > 0)) throw new EnsembleInputError(`${strategy}: weights sum to ${sum}, expected > 0`);
  return Float64Array.from(weights, (w) => w / sum);
}

/** `Σ_m w_m · member_m`, row by row. */
export function weightedSum(members: readonly Float64Array[], weights: Float64Array): Float64Array {
  const out = new Float64Array(members[0].length);
  members.forEach((member, m) => {
    const w = weights[m];
    for (let i = 0; i < out.length; i++) out[i] += w * member[i];
  });
  return out;
}
