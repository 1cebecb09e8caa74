import type { DenseMatrix } from "../models/feature-matrix.js";
import { BinMapper } from "./binning.js";
import { growTree, histogramPool } from "./grow-tree.js";
import type { TreeGrowthContext } from "./grow-tree.js";
import type { ResolvedGbdtOptions } from "./options.js";
import { Rng } from "@lora-litee/lora";
import { softmaxGradients, softmaxLogLoss } from "./softmax-loss.js";
import { predictTree } from "./tree.js";
import type { RegressionTree } from "./tree.js";
import { stratifiedHoldout, takeLabels, takeRows } from "./training-data.js";

/** Per-round losses of a training run. */
export interface GbdtHistory {
  /** Mean log loss on the rows trees were fitted on, after each round. */
  readonly trainLoss: number[];
  /** Mean log loss on the early-stopping split after each round (empty without early stopping). */
  readonly validLoss: number[];
  /** Rounds kept: the best validation round, or every round without early stopping. */
  readonly bestRounds: number;
}

/** What a training run produces. */
export interface BoostedModel {
  readonly baseScores: Float64Array;
  /** Round-major: tree of round r and class c at `r * nClasses + c`. */
  readonly trees: RegressionTree[];
  readonly history: GbdtHistory;
}

/** Rows and labels for early stopping, given explicitly instead of split off the training rows. */
export interface ValidationSet {
  readonly x: DenseMatrix;
  readonly labels: Uint8Array;
}

/**
 * Second-order softmax boosting with K trees per round, row subsampling and early stopping on `validation` when
 * given, else on a stratified holdout of `validationFraction`. Inputs are already checked.
 */
export function boost(x: DenseMatrix, labels: Uint8Array, k: number, o: ResolvedGbdtOptions, validation?: ValidationSet): BoostedModel {
  const rng = new Rng(o.seed);
  const early = o.earlyStoppingRounds > 0 && (validation !== undefined || o.validationFraction > 0);
  const split = early && !validation ? stratifiedHoldout(labels, k, o.validationFraction, rng) : null;
  const useSplit = split !== null && split.valid.length > 0 && split.train.length > 0;
  const xt = useSplit ? takeRows(x, split.train) : x;
  const yt = useSplit ? takeLabels(labels, split.train) : labels;
  const held = useSplit ? { x: takeRows(x, split.valid), labels: takeLabels(labels, split.valid) } : early ? validation : undefined;
  const xv = held && held.x.rows > 0 ? held.x : null;
  const yv = held && xv ? held.labels : null;
  const n = xt.rows;

  const mapper = BinMapper.fit(xt, o.maxBins);
  const binCounts = Int32Array.from({ length: xt.cols }, (_, f) => mapper.binCount(f));
  const stride = mapper.maxBinCount();
  const grad = Array.from({ length: k }, () => new Float64Array(n));
  const hess = Array.from({ length: k }, () => new Float64Array(n));
  const bins = mapper.transform(xt);
  const ctxFor = (c: number): TreeGrowthContext => ({
    input: { bins, rows: n, cols: xt.cols, stride, grad: grad[c], hess: hess[c] },
    mapper,
    binCounts,
    rules: o,
    maxDepth: o.maxDepth,
    learningRate: o.learningRate,
    pool: histogramPool(o.maxDepth, xt.cols, stride),
    scratch: new Uint32Array(n),
  });
  const contexts = Array.from({ length: k }, (_, c) => ctxFor(c));

  const baseScores = logPriors(yt, k);
  const scores = repeatRows(baseScores, n);
  const validScores = xv ? repeatRows(baseScores, xv.rows) : null;
  const trees: RegressionTree[] = [];
  const trainLoss: number[] = [];
  const validLoss: number[] = [];
  let best = { loss: Infinity, rounds: 0 };
  const all = Uint32Array.from({ length: n }, (_, i) => i);
  const nSample = Math.max(1, Math.round(o.subsample * n));
  const active = new Uint8Array(xt.cols);

  for (let round = 0; round < o.maxRounds; round++) {
    softmaxGradients(scores, yt, k, grad, hess);
    const sample = nSample < n ? drawSample(all, nSample, rng) : all;
    drawColumns(active, o.colsampleByTree, rng);
    for (let c = 0; c < k; c++) {
      const tree = growTree(contexts[c], sample.slice(), active);
      trees.push(tree);
      addTree(scores, xt, tree, c, k);
      if (xv && validScores) addTree(validScores, xv, tree, c, k);
    }
    trainLoss.push(softmaxLogLoss(scores, yt, k));
    if (xv && yv && validScores) {
      const loss = softmaxLogLoss(validScores, yv, k);
      validLoss.push(loss);
      if (loss < best.loss - 1e-12) best = { loss, rounds: round + 1 };
      else if (round + 1 - best.rounds >= o.earlyStoppingRounds) break;
    }
  }
  const bestRounds = xv ? best.rounds : trainLoss.length;
  return { baseScores, trees: trees.slice(0, bestRounds * k), history: { trainLoss, validLoss, bestRounds } };
}

/** Log class frequencies; an absent class counts as half a row so its score stays finite. */
function logPriors(labels: Uint8Array, k: number): Float64Array {
  const counts = new Float64Array(k);
  for (let i = 0; i < labels.length; i++) counts[labels[i]]++;
  return counts.map((c) => Math.log(Math.max(c, 0.5) / labels.length));
}

function repeatRows(row: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * row.length);
  for (let i = 0; i < n; i++) out.set(row, i * row.length);
  return out;
}

function addTree(scores: Float64Array, x: DenseMatrix, tree: RegressionTree, c: number, k: number): void {
  for (let i = 0; i < x.rows; i++) scores[i * k + c] += predictTree(tree, x.data, i, x.cols);
}

/** `size` rows without replacement (partial Fisher–Yates on a copy), sorted for sequential memory access. */
function drawSample(all: Uint32Array, size: number, rng: Rng): Uint32Array {
  const pool = all.slice();
  for (let i = 0; i < size; i++) {
    const j = i + rng.nextInt(pool.length - i);
    const tmp = pool[i];
    pool[i] = pool[j];
    pool[j] = tmp;
  }
  return pool.subarray(0, size).sort();
}

/** Marks round(fraction × cols) features (at least one) as usable by this round's trees. */
function drawColumns(active: Uint8Array, fraction: number, rng: Rng): void {
  if (fraction >= 1) {
    active.fill(1);
    return;
  }
  const order = Uint32Array.from({ length: active.length }, (_, i) => i);
  const keep = Math.max(1, Math.round(fraction * active.length));
  active.fill(0);
  for (let i = 0; i < keep; i++) {
    const j = i + rng.nextInt(order.length - i);
    const tmp = order[i];
    order[i] = order[j];
    order[j] = tmp;
    active[order[i]] = 1;
  }
}
