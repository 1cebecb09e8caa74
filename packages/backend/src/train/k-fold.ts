import { join } from "node:path";
import { kFold, type PreferenceTable, type TextTokenizer } from "@lora-litee/data";
import type { LoraConfig } from "@lora-litee/lora";
import type { HfModel } from "../models/hf-model.js";
import { encodeExamples, type ExampleOptions } from "./examples.js";
import { classificationMetrics, type ClassificationMetrics } from "./metrics.js";
import { predictProbabilities } from "./predict.js";
import type { TrainOptions } from "./train-options.js";
import { trainLora } from "./trainer.js";

/** Options of `trainKFold`: the training options of every fold plus how rows become examples and folds. */
export interface KFoldOptions extends Omit<TrainOptions, "train" | "eval" | "runDir"> {
  /** Folder of the run; fold i trains in `<runDir>/fold-<i>`. */
  readonly runDir: string;
  /** Number of folds. Defaults to `5`. */
  readonly k?: number;
  /** Seed of the fold assignment (stratified by label). Defaults to `0`. */
  readonly foldSeed?: number;
  /** Formatting and budget of the examples; `swap` augments the training folds only. */
  readonly examples: ExampleOptions;
  /** Average each held-out row with its A/B-swapped copy when predicting. Defaults to `false`. */
  readonly swapAverage?: boolean;
}

/** Out-of-fold results. */
export interface KFoldResult {
  /** Probabilities `[rows, classes]` for every row of the table, each predicted by the fold that did not train on it. */
  readonly oof: Float64Array;
  /** Fold of each row. */
  readonly fold: Int32Array;
  /** Log loss and accuracy of each fold's held-out rows. */
  readonly foldMetrics: readonly ClassificationMetrics[];
  /** The metrics of all out-of-fold predictions together. */
  readonly overall: ClassificationMetrics;
  /** Each fold's adapter folder. */
  readonly adapterDirs: readonly string[];
}

/**
 * K-fold LoRA training with out-of-fold predictions: folds stratified by label, one adapter per fold, and each
 * held-out row predicted by the adapter that never saw it — the input a stacking ensemble needs.
 */
export async function trainKFold(
  model: HfModel,
  lora: LoraConfig,
  table: PreferenceTable,
  tokenizer: TextTokenizer,
  options: KFoldOptions,
): Promise<KFoldResult> {
  const { k = 5, foldSeed = 0, examples, swapAverage = false, runDir, ...train } = options;
  const classes = model.config.labels.length;
  const rows = table.numRows();
  const oof = new Float64Array(rows * classes);
  const fold = new Int32Array(rows);
  const foldMetrics: ClassificationMetrics[] = [];
  const adapterDirs: string[] = [];
  const splits = kFold(table, k, { seed: foldSeed, stratify: "label" });
  for (const [i, split] of splits.entries()) {
    const trainExamples = encodeExamples(split.train, tokenizer, examples);
    const heldOut = encodeExamples(split.test, tokenizer, { ...examples, swap: false });
    const result = await trainLora(model, lora, { ...train, train: trainExamples, eval: heldOut, runDir: join(runDir, `fold-${i}`) });
    const predictOn = swapAverage ? encodeExamples(split.test, tokenizer, { ...examples, swap: true }) : heldOut;
    const probabilities = await predictProbabilities(model, result.adapter, predictOn, { device: train.device, threads: train.threads });
    split.testIndices.forEach((row, j) => {
      oof.set(probabilities.subarray(j * classes, (j + 1) * classes), row * classes);
      fold[row] = i;
    });
    foldMetrics.push(probabilityMetrics(probabilities, heldOut.labels, classes));
    adapterDirs.push(result.adapterDir ?? join(runDir, `fold-${i}`));
  }
  const labels = Int32Array.from(table.array("label") as ArrayLike<number>);
  return { oof, fold, foldMetrics, overall: probabilityMetrics(oof, labels, classes), adapterDirs };
}

/** Log loss and accuracy of probabilities (log-probabilities as logits give the same softmax). */
function probabilityMetrics(probabilities: Float64Array, labels: Int32Array, classes: number): ClassificationMetrics {
  return classificationMetrics(probabilities.map((p) => Math.log(Math.max(p, 1e-15))), labels, classes);
}
