import { JudgeCalibrationError } from "./errors.js";
import { VERDICT_CLASS, type Verdict } from "./parse-verdict.js";
import type { JudgeOrder } from "./prompt-template.js";

/**
 * How verdicts become probabilities when the endpoint returns no log-probabilities: for each order the pair was
 * shown in, a 3×3 table of counts (verdict mapped back to the original A/B × true label) from labelled rows, read
 * with Laplace smoothing: P(label | verdict) = (count + α) / (row total + 3α). Smoothing keeps every probability
 * strictly between 0 and 1, and a verdict the labelled rows never produced falls back towards uniform. Orders
 * keep separate tables because position bias makes "A" shown first mean something else than "A" shown second.
 * Unreadable replies get the label prior (label counts, smoothed the same way).
 */
export interface JudgeCalibration {
  /** File format tag. */
  readonly format: "litee-judge-calibration";
  /** File format version. */
  readonly version: 1;
  /** Template the verdicts were given under (a calibration is only valid for it). */
  readonly templateVersion: string;
  /** Model that gave them. */
  readonly model: string;
  /** Laplace pseudo-count α. */
  readonly alpha: number;
  /** Labelled rows per class `[A, B, tie]`. */
  readonly labelCounts: readonly number[];
  /** Per order, row-major counts `[verdict][label]`, both as class indices A, B, tie (9 numbers). */
  readonly counts: Readonly<Record<JudgeOrder, readonly number[]>>;
}

/** One labelled verdict: the verdict already mapped back to the original A/B. */
export interface LabelledVerdict {
  /** Order the pair was shown in. */
  readonly order: JudgeOrder;
  /** Mapped-back verdict, or `null` when the reply was unreadable (it then only counts toward the prior). */
  readonly verdict: Verdict | null;
  /** True class index: 0 = A, 1 = B, 2 = tie. */
  readonly label: number;
}

/** Options for {@link fitJudgeCalibration}. */
export interface JudgeCalibrationFitOptions {
  /** Template version the verdicts were given under. Defaults to `"unknown"`. */
  readonly templateVersion?: string;
  /** Model that gave them. Defaults to `"unknown"`. */
  readonly model?: string;
  /** Laplace pseudo-count. Defaults to `1`. */
  readonly alpha?: number;
}

/** Counts verdicts against labels. */
export function fitJudgeCalibration(
  observations: readonly LabelledVerdict[],
  options: JudgeCalibrationFitOptions = {},
): JudgeCalibration {
  const alpha = options.alpha ?? 1;
  if (!(alpha > 0) || !Number.isFinite(alpha)) {
    throw new JudgeCalibrationError("fitJudgeCalibration", `alpha must be a positive number, got ${alpha}`);
  }
  const labelCounts = [0, 0, 0];
  const counts = { ab: new Array<number>(9).fill(0), ba: new Array<number>(9).fill(0) };
  observations.forEach((o, i) => {
    if (o.label !== 0 && o.label !== 1 && o.label !== 2) {
      throw new JudgeCalibrationError(`labelled verdict ${i}`, `label must be 0, 1 or 2, got ${o.label}`);
    }
    labelCounts[o.label]! += 1;
    if (o.verdict !== null) counts[o.order][VERDICT_CLASS[o.verdict] * 3 + o.label]! += 1;
  });
  // Both orders of one row count its label twice; the prior is per row-order too, which leaves its ratios unchanged.
  return {
    format: "litee-judge-calibration",
    version: 1,
    templateVersion: options.templateVersion ?? "unknown",
    model: options.model ?? "unknown",
    alpha,
    labelCounts,
    counts,
  };
}

/** The smoothed label prior `[A, B, tie]`; uniform without a calibration. */
export function calibratedPrior(calibration: JudgeCalibration | undefined): Float64Array {
  if (!calibration) return Float64Array.of(1 / 3, 1 / 3, 1 / 3);
  return smoothedRow(calibration.labelCounts, 0, calibration.alpha);
}

/** P(label | verdict) for a mapped-back verdict seen in `order`; the prior for an unreadable reply. */
export function calibratedProbabilities(
  calibration: JudgeCalibration,
  order: JudgeOrder,
  verdict: Verdict | null,
): Float64Array {
  if (verdict === null) return calibratedPrior(calibration);
  return smoothedRow(calibration.counts[order], VERDICT_CLASS[verdict] * 3, calibration.alpha);
}

function smoothedRow(counts: readonly number[], offset: number, alpha: number): Float64Array {
  const total = counts[offset]! + counts[offset + 1]! + counts[offset + 2]!;
  const row = new Float64Array(3);
  for (let k = 0; k < 3; k++) row[k] = (counts[offset + k]! + alpha) / (total + 3 * alpha);
  return row;
}

/** Reads and checks a calibration JSON file's text. */
export function parseJudgeCalibration(text: string, source: string): JudgeCalibration {
  let value: Partial<Record<keyof JudgeCalibration, unknown>>;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new JudgeCalibrationError(source, `not valid JSON (${(error as Error).message})`);
  }
  const fail = (detail: string): never => {
    throw new JudgeCalibrationError(source, detail);
  };
  if (typeof value !== "object" || value === null) fail("expected a JSON object");
  if (value.format !== "litee-judge-calibration" || value.version !== 1) {
    fail(`expected format "litee-judge-calibration" version 1, got ${JSON.stringify([value.format, value.version])}`);
  }
  if (typeof value.templateVersion !== "string" || typeof value.model !== "string") {
    fail("templateVersion and model must be strings");
  }
  if (typeof value.alpha !== "number" || !(value.alpha > 0)) fail(`alpha must be a positive number, got ${value.alpha}`);
  const counts = value.counts as Record<string, unknown> | undefined;
  const checkCounts = (name: string, v: unknown, length: number) => {
    const ok = Array.isArray(v) && v.length === length && v.every((n) => Number.isInteger(n) && n >= 0);
    if (!ok) fail(`${name} must be ${length} non-negative integers, got ${JSON.stringify(v)}`);
  };
  checkCounts("labelCounts", value.labelCounts, 3);
  checkCounts("counts.ab", counts?.ab, 9);
  checkCounts("counts.ba", counts?.ba, 9);
  return value as JudgeCalibration;
}
