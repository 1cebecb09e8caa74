import { describe, expect, it } from "vitest";
import { GradientBoostedTrees } from "./booster.js";
import { GbdtFormatError, GbdtInputError, GbdtOptionsError } from "./errors.js";
import { Rng } from "@lora-litee/lora";

const exact = { subsample: 1, earlyStoppingRounds: 0, minSamplesLeaf: 1, minHessianLeaf: 0 } as const;

/** Gaussian draw by Box–Muller, for toy problems. */
function normal(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - rng.nextFloat())) * Math.cos(2 * Math.PI * rng.nextFloat());
}

/** Three classes decided by feature 0 (thirds of [0, 3)), plus `noise` uninformative columns. */
function toyProblem(rows: number, noise: number, seed: number, labelNoise = 0) {
  const rng = new Rng(seed);
  const cols = 1 + noise;
  const data = new Float64Array(rows * cols);
  const labels = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    data[i * cols] = rng.nextFloat() * 3;
    for (let j = 1; j < cols; j++) data[i * cols + j] = normal(rng);
    labels[i] = rng.nextFloat() < labelNoise ? rng.nextInt(3) : Math.floor(data[i * cols]);
  }
  return { x: { kind: "dense" as const, rows, cols, data }, labels };
}

function logLoss(p: Float64Array, labels: Uint8Array, k: number): number {
  let s = 0;
  labels.forEach((y, i) => (s -= Math.log(p[i * k + y])));
  return s / labels.length;
}

describe("GradientBoostedTrees", () => {
  it("reproduces a hand-computed first round (split point, leaf values, probabilities)", () => {
    const x = { kind: "dense" as const, rows: 4, cols: 1, data: Float64Array.from([1, 2, 3, 4]) };
    const model = GradientBoostedTrees.train(x, [0, 0, 1, 1], 2, { ...exact, maxRounds: 1, maxDepth: 1, learningRate: 1, l2: 1 });
    const json = model.toJSON();
    // Priors 1/2: p = 1/2, so class-0 gradients are (−½, −½, ½, ½) and hessians ¼. The best cut is x ≤ 2.5, and the
    // left leaf is −G/(H + λ) = 1/(½ + 1) = 2/3; gain ½[1/1.5 + 1/1.5 − 0] = 2/3.
    expect(json.trees[0].threshold[0]).toBe(2.5);
    expect(json.trees[0].value[1]).toBeCloseTo(2 / 3, 15);
    expect(json.trees[0].value[2]).toBeCloseTo(-2 / 3, 15);
    expect(json.trees[0].gain[0]).toBeCloseTo(2 / 3, 15);
    expect(json.trees[1].value[1]).toBeCloseTo(-2 / 3, 15);
    const p = model.predictProba({ kind: "dense" as const, rows: 2, cols: 1, data: Float64Array.from([0, 10]) });
    const left = 1 / (1 + Math.exp(-4 / 3));
    expect(p[0]).toBeCloseTo(left, 14);
    expect(p[1]).toBeCloseTo(1 - left, 14);
    expect(p[2]).toBeCloseTo(1 - left, 14);
  });

  it("picks the same first split as an exhaustive float64 search over all cut points", () => {
    const { x, labels } = toyProblem(300, 3, 11, 0.3);
    const model = GradientBoostedTrees.train(x, labels, 3, { ...exact, maxRounds: 1, maxDepth: 1, l2: 0.5 });
    // Independent reference: class 0 at p = priors, every midpoint of every feature.
    const counts = [0, 0, 0];
    labels.forEach((y) => counts[y]++);
    const p0 = counts[0] / labels.length;
    let best = { gain: -Infinity, feature: -1, threshold: NaN };
    for (let f = 0; f < x.cols; f++) {
      const col = Array.from({ length: x.rows }, (_, i) => x.data[i * x.cols + f]);
      const sorted = [...new Set(col)].sort((a, b) => a - b);
      const gTot = labels.reduce((s, y) => s + p0 - (y === 0 ? 1 : 0), 0);
      const h = p0 * (1 - p0);
      for (let j = 0; j + 1 < sorted.length; j++) {
        const t = (sorted[j] + sorted[j + 1]) / 2;
        let gl = 0;
        let nl = 0;
        col.forEach((v, i) => {
          if (v <= t) {
            gl += p0 - (labels[i] === 0 ? 1 : 0);
            nl++;
          }
        });
        const gr = gTot - gl;
        const gain = 0.5 * ((gl * gl) / (nl * h + 0.5) + (gr * gr) / ((x.rows - nl) * h + 0.5) - (gTot * gTot) / (x.rows * h + 0.5));
        if (gain > best.gain + 1e-12) best = { gain, feature: f, threshold: t };
      }
    }
    const tree = model.toJSON().trees[0];
    expect(tree.feature[0]).toBe(best.feature);
    expect(tree.threshold[0]).toBeCloseTo(best.threshold, 12);
    expect(tree.gain[0]).toBeCloseTo(best.gain, 9);
  });

  it("separates a separable toy problem and ignores the noise columns", () => {
    const { x, labels } = toyProblem(600, 4, 3);
    const model = GradientBoostedTrees.train(x, labels, 3, { learningRate: 0.3, maxRounds: 60, minSamplesLeaf: 5 });
    const p = model.predictProba(x);
    let correct = 0;
    labels.forEach((y, i) => {
      const row = Array.from(p.subarray(i * 3, i * 3 + 3));
      if (row.indexOf(Math.max(...row)) === y) correct++;
    });
    expect(correct / labels.length).toBeGreaterThan(0.99);
    expect(logLoss(p, labels, 3)).toBeLessThan(0.1);
    const importance = model.featureImportance();
    expect(importance[0]).toBeGreaterThan(0.95);
    expect(importance.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    const test = toyProblem(300, 4, 4);
    expect(logLoss(model.predictProba(test.x), test.labels, 3)).toBeLessThan(0.2);
  });

  it("decreases the training loss every round without subsampling", () => {
    const { x, labels } = toyProblem(400, 2, 5, 0.4);
    const model = GradientBoostedTrees.train(x, labels, 3, { ...exact, maxRounds: 40, learningRate: 0.2, minSamplesLeaf: 10 });
    const loss = model.history.trainLoss;
    expect(loss).toHaveLength(40);
    for (let r = 1; r < loss.length; r++) expect(loss[r]).toBeLessThan(loss[r - 1]);
    expect(loss[0]).toBeLessThan(Math.log(3));
    // The recorded loss is the loss of the model's own predictions.
    expect(logLoss(model.predictProba(x), labels, 3)).toBeCloseTo(loss[39], 12);
  });

  it("stops early on pure noise and keeps only the best rounds", () => {
    const rng = new Rng(9);
    const { x } = toyProblem(500, 3, 9);
    const labels = Uint8Array.from({ length: 500 }, () => rng.nextInt(3));
    const model = GradientBoostedTrees.train(x, labels, 3, { maxRounds: 400, learningRate: 0.3, earlyStoppingRounds: 10 });
    const { validLoss, bestRounds } = model.history;
    expect(validLoss.length).toBeLessThan(400);
    expect(validLoss.length - bestRounds).toBe(10);
    expect(model.rounds).toBe(bestRounds);
    expect(Math.min(...validLoss)).toBe(validLoss[bestRounds - 1]);
  });

  it("early-stops on an explicit validation set when one is given", () => {
    const { x, labels } = toyProblem(400, 2, 21, 0.5);
    const valid = toyProblem(200, 2, 22, 0.5);
    const model = GradientBoostedTrees.train(x, labels, 3, { maxRounds: 300, learningRate: 0.3, earlyStoppingRounds: 5 }, valid);
    const { validLoss, bestRounds } = model.history;
    expect(validLoss.length - bestRounds).toBe(5);
    // The recorded validation loss is the loss of the kept model on that set.
    expect(logLoss(model.predictProba(valid.x), valid.labels, 3)).toBeCloseTo(validLoss[bestRounds - 1], 12);
  });

  it("is deterministic per seed and reloads from JSON to identical predictions", () => {
    const { x, labels } = toyProblem(500, 3, 2, 0.3);
    const options = { maxRounds: 30, subsample: 0.7, colsampleByTree: 0.5, seed: 4 };
    const a = GradientBoostedTrees.train(x, labels, 3, options);
    const b = GradientBoostedTrees.train(x, labels, 3, options);
    const c = GradientBoostedTrees.train(x, labels, 3, { ...options, seed: 5 });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(JSON.stringify(c)).not.toBe(JSON.stringify(a));
    const reloaded = GradientBoostedTrees.fromJSON(JSON.parse(JSON.stringify(a)));
    expect(Array.from(reloaded.predictProba(x))).toEqual(Array.from(a.predictProba(x)));
    expect(reloaded.rounds).toBe(a.rounds);
    expect(Array.from(reloaded.featureImportance())).toEqual(Array.from(a.featureImportance()));
  });

  it("rejects bad options, inputs and model files with typed errors naming the problem", () => {
    const x = { kind: "dense" as const, rows: 2, cols: 1, data: Float64Array.from([1, 2]) };
    expect(() => GradientBoostedTrees.train(x, [0, 1], 2, { maxDepth: 0 })).toThrow(GbdtOptionsError);
    expect(() => GradientBoostedTrees.train(x, [0, 1], 2, { maxBins: 256 })).toThrow(/maxBins.*256/);
    expect(() => GradientBoostedTrees.train(x, [0, 1], 2, { subsample: 0 })).toThrow(/subsample/);
    expect(() => GradientBoostedTrees.train(x, [0, 1], 2, { depth: 3 } as never)).toThrow(/`depth`/);
    expect(() => GradientBoostedTrees.train({ ...x, data: Float64Array.from([1, NaN]) }, [0, 1], 2)).toThrow(
      /row 1, column 0 is NaN/,
    );
    expect(() => GradientBoostedTrees.train(x, [0, 2], 2)).toThrow(GbdtInputError);
    expect(() => GradientBoostedTrees.train(x, [0], 2)).toThrow(/1 labels for 2 rows/);
    const model = GradientBoostedTrees.train(x, [0, 1], 2, { maxRounds: 2, earlyStoppingRounds: 0 });
    expect(() => model.predictProba({ kind: "dense" as const, rows: 1, cols: 2, data: Float64Array.from([1, 2]) })).toThrow(/2 columns/);
    expect(() => GradientBoostedTrees.fromJSON({ format: "other" })).toThrow(GbdtFormatError);
    const json = model.toJSON();
    json.trees[0] = { ...json.trees[0], feature: [5], threshold: [0], left: [1], right: [2], value: [0], gain: [0] };
    expect(() => GradientBoostedTrees.fromJSON(json)).toThrow(/tree 0: node 0 has feature 5/);
  });
});
