import { EnsembleInputError } from "../errors.js";
import type { PairRow } from "../members/pair-row.js";
import { trainMember, type ClassicalMember, type MemberKind } from "../members/registry.js";
import { accuracy } from "../metrics/accuracy.js";
import { logLoss } from "../metrics/log-loss.js";
import { CLASSES } from "../predictions/prediction-table.js";
import { crossFitStrategy } from "./cross-fit.js";
import type { StrategyName } from "../strategies/strategy.js";

/** What {@link crossValidate} trains and combines. */
export interface CrossValidationOptions {
  /** Members to train in every fold. Defaults to `["length", "tfidf"]`. */
  members?: readonly MemberKind[];
  /** Strategies to score on the members' out-of-fold predictions. Defaults to `["mean", "logit-mean", "optimize", "stack"]`. */
  strategies?: readonly StrategyName[];
  /** Called after each member finishes a fold (for progress output). Defaults to none. */
  onFold?: (member: MemberKind, fold: number, folds: number) => void;
  /** Trains a member; replace to pass member options. Defaults to {@link trainMember} with default options. */
  train?: (kind: MemberKind, rows: readonly PairRow[]) => ClassicalMember;
}

/** Out-of-fold scores of one member or ensemble. */
export interface CrossValidationScore {
  /** `"prior"`, the member kind, or the strategy name. */
  readonly name: string;
  /** Kaggle-clipped log loss over all out-of-fold rows. */
  readonly logLoss: number;
  /** Share of rows whose most probable class is the true one. */
  readonly accuracy: number;
}

/** What {@link crossValidate} returns: out-of-fold scores of the prior, each member and each strategy. */
export interface CrossValidationResult {
  /** Number of rows cross-validated. */
  readonly rows: number;
  /** Number of folds `k` (the largest fold id + 1). */
  readonly folds: number;
  /** Log loss of the training folds' class frequencies, the score to beat. */
  readonly prior: CrossValidationScore;
  /** One score per member, in the order of `options.members`. */
  readonly members: CrossValidationScore[];
  /**
   * Each strategy fitted on the other folds' out-of-fold member predictions and applied to the held-out fold,
   * so no row's ensemble prediction has seen its label.
   */
  readonly ensembles: CrossValidationScore[];
  /** Every member's out-of-fold predictions, row-major `rows × 3`, in member order. */
  readonly outOfFold: Float64Array[];
}

/**
 * K-fold cross-validation of classical members and ensembles of them. `folds[i]` is row `i`'s fold in
 * `[0, k)` (for example from `@lora-litee/data`'s `kFold`); every row must be labelled.
 */
export function crossValidate(rows: readonly PairRow[], folds: Int32Array, options: CrossValidationOptions = {}): CrossValidationResult {
  const kinds = options.members ?? ["length", "tfidf"];
  const strategies = options.strategies ?? ["mean", "logit-mean", "optimize", "stack"];
  const train = options.train ?? ((kind: MemberKind, fit: readonly PairRow[]) => trainMember(kind, fit));
  if (folds.length !== rows.length) throw new EnsembleInputError(`cross-validation: ${rows.length} rows but ${folds.length} fold ids`);
  const k = Math.max(...folds) + 1;
  const labels = Uint8Array.from(rows, (row, i) => {
    if (row.label === undefined) throw new EnsembleInputError(`cross-validation: row ${i + 1} (id ${JSON.stringify(row.id)}) has no label`);
    return row.label;
  });
  const inFold = (f: number) => Array.from(folds.keys()).filter((i) => folds[i] === f);
  const outOfFold = kinds.map(() => new Float64Array(rows.length * CLASSES));
  const prior = new Float64Array(rows.length * CLASSES);
  for (let f = 0; f < k; f++) {
    const test = inFold(f);
    const trainRows = rows.filter((_, i) => folds[i] !== f);
    const counts = [1, 1, 1];
    for (const row of trainRows) counts[row.label as number]++;
    kinds.forEach((kind, m) => {
      const predictions = train(kind, trainRows).predict(test.map((i) => rows[i]));
      test.forEach((row, j) => outOfFold[m].set(predictions.subarray(j * CLASSES, j * CLASSES + CLASSES), row * CLASSES));
      options.onFold?.(kind, f, k);
    });
    const total = counts[0] + counts[1] + counts[2];
    for (const row of test) prior.set(counts.map((c) => c / total), row * CLASSES);
  }
  const score = (name: string, probs: Float64Array) => ({ name, logLoss: logLoss(probs, labels), accuracy: accuracy(probs, labels) });
  const ensembles = strategies.map((name) => score(name, crossFitStrategy(name, outOfFold, labels, folds)));
  return {
    rows: rows.length,
    folds: k,
    prior: score("prior", prior),
    members: kinds.map((kind, m) => score(kind, outOfFold[m])),
    ensembles,
    outOfFold,
  };
}

