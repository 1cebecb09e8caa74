import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { renderReport, type ReportData, type ReportMember } from "@lora-litee/bench";
import { holdout, kFold, type PreferenceTable } from "@lora-litee/data";
import { arenaSamplePath, loadDatasetFile } from "@lora-litee/data/node";
import { confusionMatrix, createStrategy, crossFitStrategy, evaluatePredictions, reliabilityBins, type StrategyName } from "@lora-litee/ensemble";
import { writeFileAtomic } from "@lora-litee/lora/node";
import type { DemoMember } from "./demo-member.js";

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** Arena CSV (or any format `@lora-litee/data` loads). Defaults to the bundled 200-row real sample. */
  data?: string;
  /** Folder for report.html, metrics.json and predictions. Defaults to `litee-demo`. */
  outDir?: string;
  /** Cross-validation folds on the training split. Defaults to `5`. */
  folds?: number;
  /** Fraction of rows held out for the final evaluation. Defaults to `0.2`. */
  holdoutFraction?: number;
  /** Seed of every split and member. Defaults to `0`. */
  seed?: number;
  /** Ensemble strategy fitted on the members' out-of-fold predictions. Defaults to `"optimize"`. */
  strategy?: StrategyName;
  /** Members to train; the CLI builds the default list. */
  members: readonly DemoMember[];
  /** Progress lines (stage names); defaults to none. */
  onProgress?: (message: string) => void;
}

/** What {@link runDemo} wrote and measured. */
export interface DemoResult {
  report: ReportData;
  reportPath: string;
  metricsPath: string;
}

const CLASSES = 3;

/** The demo's data cannot be used as given (e.g. unlabelled rows); names the file and row. */
export class DemoDataError extends Error {
  override readonly name = "DemoDataError";
}

/**
 * The LoRA-LiteE pipeline on one dataset: hold out a split, cross-validate every member on the rest, fit the
 * ensemble on their out-of-fold predictions, retrain members on the whole training split, and score members and
 * ensemble on the held-out rows. Writes report.html and metrics.json atomically.
 */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const folds = options.folds ?? 5;
  const seed = options.seed ?? 0;
  const outDir = resolve(options.outDir ?? "litee-demo");
  const strategyName = options.strategy ?? "optimize";
  const progress = options.onProgress ?? (() => {});
  const timings: Record<string, number> = {};
  const dataPath = options.data ?? arenaSamplePath();

  let start = performance.now();
  const loaded = await loadDatasetFile(dataPath);
  const split = holdout(loaded.table, options.holdoutFraction ?? 0.2, { seed, stratify: "label" });
  const trainLabels = labelsOf(split.train, dataPath);
  const testLabels = labelsOf(split.test, dataPath);
  const foldSplits = kFold(split.train, folds, { seed, stratify: "label" });
  const foldOf = new Int32Array(trainLabels.length);
  foldSplits.forEach((fold, f) => fold.testIndices.forEach((i) => (foldOf[i] = f)));
  timings.load = seconds(start);

  const members: ReportMember[] = [];
  const outOfFold: Float64Array[] = [];
  const heldOut: Float64Array[] = [];
  for (const member of options.members) {
    start = performance.now();
    progress(`${member.name}: ${folds}-fold cross-validation`);
    const oof = new Float64Array(trainLabels.length * CLASSES);
    for (const [f, fold] of foldSplits.entries()) {
      const predicted = await member.fitPredict(fold.train, fold.test, `fold ${f + 1}/${folds}`);
      fold.testIndices.forEach((row, j) => oof.set(predicted.subarray(j * CLASSES, (j + 1) * CLASSES), row * CLASSES));
    }
    progress(`${member.name}: training on the whole training split`);
    const test = await member.fitPredict(split.train, split.test, "final");
    outOfFold.push(oof);
    heldOut.push(test);
    members.push(reportMember(member.name, member.kind, oof, trainLabels, test, testLabels, seconds(start), member.caveat));
  }
  timings.members = Object.values(members).reduce((s, m) => s + m.seconds, 0);

  start = performance.now();
  progress(`ensemble: fitting ${strategyName} on out-of-fold predictions`);
  const strategy = createStrategy(strategyName).fit(outOfFold, trainLabels);
  const ensembleOof = crossFitStrategy(strategyName, outOfFold, trainLabels, foldOf);
  const ensembleTest = strategy.predict(heldOut);
  const prior = priorPredictions(trainLabels, testLabels.length);
  members.unshift(reportMember("prior", "prior", priorPredictions(trainLabels, trainLabels.length), trainLabels, prior, testLabels, 0));
  members.push(reportMember(`ensemble (${strategyName})`, "ensemble", ensembleOof, trainLabels, ensembleTest, testLabels, seconds(start)));
  timings.ensemble = seconds(start);

  const strategyJson = strategy.toJSON() as { weights?: number[] };
  const report: ReportData = {
    title: "LoRA-LiteE demo",
    createdAt: new Date().toISOString(),
    dataset: {
      source: options.data ?? "bundled real arena sample (200 rows)",
      rows: loaded.table.numRows(),
      trainRows: trainLabels.length,
      holdoutRows: testLabels.length,
      labels: countLabels([...trainLabels, ...testLabels]),
      problems: problemCounts(loaded.problems),
    },
    members,
    ensemble: {
      strategy: strategyName,
      ...(strategyJson.weights ? { weights: Object.fromEntries(options.members.map((m, i) => [m.name, strategyJson.weights![i]])) } : {}),
    },
    lossCurve: options.members.flatMap((m) => m.lossCurve?.() ?? []),
    timings,
    notes: demoNotes(members, folds),
    environment: { node: process.versions.node, platform: `${process.platform}-${process.arch}` },
  };
  await mkdir(outDir, { recursive: true });
  const reportPath = join(outDir, "report.html");
  const metricsPath = join(outDir, "metrics.json");
  await writeFileAtomic(metricsPath, `${JSON.stringify(report, null, 2)}\n`);
  await writeFileAtomic(reportPath, await renderReport(report));
  return { report, reportPath, metricsPath };
}

function labelsOf(table: PreferenceTable, file: string): Uint8Array {
  const labels = table.array("label") as ArrayLike<number>;
  const ids = table.array("id") as ArrayLike<string>;
  return Uint8Array.from({ length: table.numRows() }, (_, i) => {
    if (labels[i] < 0) throw new DemoDataError(`${file}: row id ${JSON.stringify(ids[i])} has no label (winner columns); the demo needs labelled rows`);
    return labels[i];
  });
}

function priorPredictions(labels: Uint8Array, rows: number): Float64Array {
  const counts = countLabels(labels);
  const p = [counts.a, counts.b, counts.tie].map((c) => c / labels.length);
  const out = new Float64Array(rows * CLASSES);
  for (let i = 0; i < rows; i++) out.set(p, i * CLASSES);
  return out;
}

function reportMember(
  name: string,
  kind: ReportMember["kind"],
  oof: Float64Array,
  oofLabels: Uint8Array,
  test: Float64Array,
  testLabels: Uint8Array,
  secs: number,
  caveat?: string,
): ReportMember {
  const scores = (p: Float64Array, y: Uint8Array) => {
    const { logLoss, accuracy, accuracyNoTies, ece } = evaluatePredictions(p, y);
    return { logLoss, accuracy, accuracyNoTies, ece };
  };
  return {
    name,
    kind,
    oof: scores(oof, oofLabels),
    holdout: scores(test, testLabels),
    confusion: confusionMatrix(test, testLabels),
    reliability: reliabilityBins(test, testLabels).map((b) => ({ ...b })),
    seconds: secs,
    ...(caveat ? { caveat } : {}),
  };
}

function countLabels(labels: ArrayLike<number>): { a: number; b: number; tie: number } {
  const c = [0, 0, 0];
  for (let i = 0; i < labels.length; i++) c[labels[i]]++;
  return { a: c[0], b: c[1], tie: c[2] };
}

function problemCounts(problems: object): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, value] of Object.entries(problems)) {
    if (typeof value === "number") out[name] = value;
    else if (typeof value === "boolean") out[name] = value ? 1 : 0;
    else if (value && typeof value === "object" && "count" in value && typeof value.count === "number") out[name] = value.count;
    else if (Array.isArray(value)) out[name] = value.length;
  }
  return out;
}

function demoNotes(members: readonly ReportMember[], folds: number): string[] {
  const prior = members.find((m) => m.kind === "prior")!.holdout.logLoss;
  const ensemble = members.find((m) => m.kind === "ensemble")!;
  const best = members.filter((m) => m.kind !== "prior" && m.kind !== "ensemble").sort((a, b) => a.holdout.logLoss - b.holdout.logLoss)[0];
  const notes = [
    `Every member was cross-validated with ${folds} folds on the training split; the ensemble was fitted on those out-of-fold predictions only, then all were scored once on the held-out rows.`,
    `Held-out log loss: prior ${prior.toFixed(4)}, best single member ${best ? `${best.name} ${best.holdout.logLoss.toFixed(4)}` : "–"}, ensemble ${ensemble.holdout.logLoss.toFixed(4)} (lower is better).`,
  ];
  for (const m of members) if (m.caveat) notes.push(`${m.name}: ${m.caveat}`);
  return notes;
}

function seconds(start: number): number {
  return (performance.now() - start) / 1000;
}
