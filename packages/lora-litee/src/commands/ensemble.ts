import { readFile, writeFile } from "node:fs/promises";
import {
  alignPredictions,
  confusionMatrix,
  createStrategy,
  crossValidate,
  evaluatePredictions,
  labelsFor,
  loadStrategy,
  MEMBER_KINDS,
  pairRowsFromTable,
  STRATEGY_NAMES,
  trainMember,
  type EnsembleStrategy,
  type FeatureImportance,
  type MemberKind,
  type StrategyName,
} from "@lora-litee/ensemble";
import { readArenaRows, readLabelsCsv, readPredictionsCsv, writePredictionsCsv } from "@lora-litee/ensemble/node";
import { kFold } from "@lora-litee/data";
import { loadDatasetFile } from "@lora-litee/data/node";
import { Option, type Command } from "commander";
import { intAtLeast } from "./flags.js";

/** Strategies that learn from labels. */
const FITTED: readonly StrategyName[] = ["optimize", "stack", "temperature"];

/** Reports a usage error: exit code 2, thrown as a `CommanderError` for `runCli` (see {@link registerEnsembleCommands}). */
function usageError(command: Command, message: string): never {
  return command.error(`error: ${message}`, { exitCode: 2 });
}

function parseWeights(command: Command, text: string | undefined): number[] | undefined {
  if (text === undefined) return undefined;
  const weights = text.split(",").map((part) => Number(part.trim()));
  if (weights.some((w) => !Number.isFinite(w) || w < 0)) {
    usageError(command, `--weights must be comma-separated numbers >= 0, got "${text}"`);
  }
  return weights;
}

/** Out-of-fold predictions of one member on its training rows, folds from `@lora-litee/data`'s `kFold`. */
async function writeOutOfFold(options: BaselineOptions): Promise<void> {
  const { table } = await loadDatasetFile(options.train);
  const folds = new Int32Array(table.numRows());
  kFold(table, options.folds, { seed: options.seed, stratify: "label" }).forEach((split, f) => split.testIndices.forEach((row) => (folds[row] = f)));
  const rows = pairRowsFromTable(table);
  const result = crossValidate(rows, folds, { members: [options.kind], strategies: [] });
  await writePredictionsCsv(options.oof!, rows.map((row) => row.id), result.outOfFold[0]);
  process.stdout.write(`${options.kind} member: ${options.folds}-fold out-of-fold log loss ${result.members[0].logLoss.toFixed(4)} → ${options.oof}\n`);
}

/** `litee baseline`, `litee ensemble` and `litee eval`: classical members, ensembles and metrics over prediction files. */
export function registerEnsembleCommands(program: Command): void {
  program
    .command("baseline")
    .description("train a classical member (no GPU, no pretrained weights) and write its predictions")
    .addOption(new Option("--kind <kind>", "member kind").choices(MEMBER_KINDS).makeOptionMandatory())
    .requiredOption("--train <csv>", "labelled arena CSV to train on")
    .requiredOption("--predict <csv>", "arena CSV (train or test layout) to predict")
    .requiredOption("--out <csv>", "where to write the predictions (Kaggle submission layout)")
    .option("--save <json>", "also save the trained member as JSON")
    .option("--explain", "print the fitted feature importances (gbdt and rich-lr members)", false)
    .option("--oof <csv>", "also write k-fold out-of-fold predictions of the --train rows (what an ensemble should be fitted on)")
    .option("--folds <k>", "folds for --oof (stratified by label)", intAtLeast(2), 5)
    .option("--seed <n>", "seed of the --oof folds", intAtLeast(0), 0)
    .action(async function (this: Command, options: BaselineOptions) {
      const member = trainMember(options.kind, await readArenaRows(options.train));
      if (options.oof) await writeOutOfFold(options);
      if (options.explain && !member.importances) usageError(this, `--explain needs a member with named features (gbdt, rich-lr), not ${options.kind}`);
      const rows = await readArenaRows(options.predict);
      await writePredictionsCsv(options.out, rows.map((row) => row.id), member.predict(rows));
      if (options.save) await writeFile(options.save, JSON.stringify(member));
      process.stdout.write(`${options.kind} member: ${rows.length} rows predicted → ${options.out}\n`);
      if (options.explain && member.importances) process.stdout.write(formatImportances(options.kind, member.importances()));
    });

  program
    .command("ensemble")
    .description("combine members' prediction files (rows matched by id)")
    .requiredOption("--preds <csv...>", "members' prediction files, in member order")
    .option("--labels <csv>", "true labels (one-hot winner columns) for the strategies that learn")
    .addOption(new Option("--strategy <name>", "how to combine").choices(STRATEGY_NAMES))
    .option("--weights <list>", "comma-separated member weights for weighted / logit-mean (weighted defaults to 0.7,0.3)")
    .option("--load <json>", "apply a strategy saved with --save instead of --strategy")
    .requiredOption("--out <csv>", "where to write the combined predictions")
    .option("--save <json>", "save the (fitted) strategy as JSON")
    .action(async function (this: Command, options: EnsembleOptions) {
      if ((options.strategy === undefined) === (options.load === undefined)) {
        usageError(this, "give exactly one of --strategy and --load");
      }
      if (options.strategy && FITTED.includes(options.strategy) && !options.labels) {
        usageError(this, `--strategy ${options.strategy} learns from labels: give --labels <csv>`);
      }
      if (options.weights !== undefined && options.strategy !== "weighted" && options.strategy !== "logit-mean") {
        usageError(this, "--weights applies to --strategy weighted or logit-mean only");
      }
      const weights = parseWeights(this, options.weights);
      const tables = await Promise.all(options.preds.map(readPredictionsCsv));
      const { ids, members } = alignPredictions(tables);
      let strategy: EnsembleStrategy;
      if (options.load) {
        strategy = loadStrategy(JSON.parse(await readFile(options.load, "utf8")));
      } else {
        const name = options.strategy as StrategyName;
        strategy = name === "weighted" || name === "logit-mean" ? createStrategy(name, weights ? { weights } : {}) : createStrategy(name);
        // Fixed strategies ignore the labels; the learning ones were checked to have them.
        const labels = options.labels ? labelsFor(ids, await readLabelsCsv(options.labels)) : new Uint8Array(0);
        strategy.fit(members, labels);
      }
      await writePredictionsCsv(options.out, ids, strategy.predict(members));
      if (options.save) await writeFile(options.save, JSON.stringify(strategy));
      process.stdout.write(`${strategy.name}: ${members.length} members, ${ids.length} rows → ${options.out}\n`);
    });

  program
    .command("eval")
    .description("log loss (Kaggle-clipped), accuracy, accuracy without ties and calibration of a prediction file")
    .requiredOption("--preds <csv>", "prediction file")
    .requiredOption("--labels <csv>", "true labels (one-hot winner columns)")
    .option("--json", "print one JSON object", false)
    .action(async (options: { preds: string; labels: string; json: boolean }) => {
      const table = await readPredictionsCsv(options.preds);
      const labels = labelsFor(table.ids, await readLabelsCsv(options.labels));
      const summary = evaluatePredictions(table.probs, labels);
      if (options.json) {
        process.stdout.write(`${JSON.stringify(summary)}\n`);
        return;
      }
      const matrix = confusionMatrix(table.probs, labels);
      process.stdout.write(
        [
          `rows              ${summary.rows}`,
          `log loss          ${summary.logLoss.toFixed(5)}`,
          `accuracy          ${summary.accuracy.toFixed(4)}`,
          `accuracy no ties  ${summary.accuracyNoTies.toFixed(4)}`,
          `ECE (10 bins)     ${summary.ece.toFixed(4)}`,
          `confusion (rows true A/B/tie, columns predicted A/B/tie)`,
          ...matrix.map((row) => `  ${row.map((n) => String(n).padStart(6)).join("")}`),
        ].join("\n") + "\n",
      );
    });
}

interface BaselineOptions {
  kind: MemberKind;
  train: string;
  predict: string;
  out: string;
  save?: string;
  explain: boolean;
  oof?: string;
  folds: number;
  seed: number;
}

/** One line per feature: rank, share in percent, name and what it measures. */
function formatImportances(kind: MemberKind, importances: readonly FeatureImportance[]): string {
  const width = Math.max(...importances.map((f) => f.name.length));
  const lines = importances.map(
    (f, i) => `${String(i + 1).padStart(3)}  ${(100 * f.importance).toFixed(2).padStart(6)}%  ${f.name.padEnd(width)}  ${f.doc}`,
  );
  return `${kind} feature importances (${kind === "gbdt" ? "share of split gain" : "share of |standardised weight|"}):\n${lines.join("\n")}\n`;
}

interface EnsembleOptions {
  preds: string[];
  labels?: string;
  strategy?: StrategyName;
  weights?: string;
  load?: string;
  out: string;
  save?: string;
}
