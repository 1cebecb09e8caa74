import { JudgeCalibrationError } from "./errors.js";
import type { JudgeRowAnswers } from "./judge-member.js";
import { probabilitiesFromTopLogprobs, swapVerdict, type Verdict } from "./parse-verdict.js";
import type { JudgeOrder } from "./prompt-template.js";
import {
  calibratedPrior,
  calibratedProbabilities,
  type JudgeCalibration,
  type LabelledVerdict,
} from "./verdict-calibration.js";

/** The judge as an ensemble member: one `[A, B, tie]` row per pair. */
export interface JudgePredictions {
  /** Row ids, input order. */
  readonly ids: readonly string[];
  /** Row-major `[A, B, tie]` per row; every value strictly between 0 and 1. */
  readonly probabilities: Float64Array;
  /** Answers read from log-probabilities. */
  readonly fromLogprobs: number;
  /** Answers turned into probabilities by the verdict calibration. */
  readonly fromVerdicts: number;
  /** Unreadable answers, predicted with the calibrated prior (uniform without a calibration). */
  readonly fromPrior: number;
}

/** The verdict of an answer in the original A/B sense. */
function mappedBack(verdict: Verdict | null, order: JudgeOrder): Verdict | null {
  return verdict === null || order === "ab" ? verdict : swapVerdict(verdict);
}

/**
 * Turns answers into probabilities. Per answer: the verdict token's top log-probabilities when there are any, else
 * the calibration's P(label | verdict), else — for an unreadable reply — the calibrated prior; an answer asked with
 * A and B swapped has its A and B columns swapped back. With both orders the two rows are averaged (arithmetic
 * mean, the usual swap test-time averaging). Throws {@link JudgeCalibrationError} when answers came without
 * log-probabilities and no calibration was given, naming the first rows: hard 0/1 verdicts are never written.
 */
export function judgePredictions(
  answers: readonly JudgeRowAnswers[],
  calibration?: JudgeCalibration,
): JudgePredictions {
  const probabilities = new Float64Array(answers.length * 3);
  const prior = calibratedPrior(calibration);
  const needCalibration: string[] = [];
  let fromLogprobs = 0;
  let fromVerdicts = 0;
  let fromPrior = 0;
  answers.forEach((row, i) => {
    const asked = row.ba ? ([["ab", row.ab], ["ba", row.ba]] as const) : ([["ab", row.ab]] as const);
    for (const [order, answer] of asked) {
      // Every branch yields `[A, B, tie]` in the original sense.
      let p: Float64Array | undefined;
      if (answer.verdict === null) {
        p = prior;
        fromPrior += 1;
      } else if (answer.topLogprobs && (p = probabilitiesFromTopLogprobs(answer.topLogprobs))) {
        // In the swapped order the model's "A" is the original B.
        if (order === "ba") p = Float64Array.of(p[1]!, p[0]!, p[2]!);
        fromLogprobs += 1;
      } else if (calibration) {
        p = calibratedProbabilities(calibration, order, mappedBack(answer.verdict, order));
        fromVerdicts += 1;
      } else {
        needCalibration.push(`${row.id} (${order})`);
        continue;
      }
      const w = 1 / asked.length;
      for (let k = 0; k < 3; k++) probabilities[i * 3 + k]! += w * p[k]!;
    }
  });
  if (needCalibration.length > 0) {
    throw new JudgeCalibrationError(
      "judge answers",
      `${needCalibration.length} answers came without log-probabilities (first: ${needCalibration.slice(0, 5).join(", ")}); ` +
        "fit a verdict calibration on labelled rows (litee judge --calibrate --labels <csv> --calibration <file>) " +
        "and pass it with --calibration; the answers are cached, so this costs no new requests",
    );
  }
  return { ids: answers.map((r) => r.id), probabilities, fromLogprobs, fromVerdicts, fromPrior };
}

/**
 * Pairs each readable or unreadable answer with its row's label, verdicts mapped back to the original A/B, ready
 * for {@link fitJudgeCalibration}. `labels[i]` is the class index (0 = A, 1 = B, 2 = tie) of `answers[i]`.
 */
export function labelledVerdicts(answers: readonly JudgeRowAnswers[], labels: ArrayLike<number>): LabelledVerdict[] {
  if (labels.length !== answers.length) {
    throw new JudgeCalibrationError("labelledVerdicts", `${answers.length} answers but ${labels.length} labels`);
  }
  const out: LabelledVerdict[] = [];
  answers.forEach((row, i) => {
    out.push({ order: "ab", verdict: row.ab.verdict, label: labels[i]! });
    if (row.ba) out.push({ order: "ba", verdict: mappedBack(row.ba.verdict, "ba"), label: labels[i]! });
  });
  return out;
}
