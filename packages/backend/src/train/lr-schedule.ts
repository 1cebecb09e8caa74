/**
 * Learning-rate schedules with Hugging Face's semantics (`get_cosine_schedule_with_warmup`,
 * `get_linear_schedule_with_warmup`), so that a run here and a PyTorch run with the same settings step alike.
 * Step k is the k-th optimizer update counted from 0; as in HF, update 0 of a warmed-up run uses LR 0.
 */

/** Shape of the decay after warmup. */
export type LrDecay = "cosine" | "linear" | "constant";

/** A learning-rate schedule. */
export interface LrSchedule {
  /** Decay after warmup. Defaults to `"cosine"`. */
  readonly decay?: LrDecay;
  /** LR reached at the end of warmup. */
  readonly peakLr: number;
  /** Optimizer updates of linear warmup from 0. Defaults to `0`. */
  readonly warmupSteps?: number;
  /** Optimizer updates in the whole run; decay reaches 0 there. */
  readonly totalSteps: number;
}

/** A schedule whose numbers cannot describe a run; names the field and value. */
export class LrScheduleError extends Error {
  override readonly name = "LrScheduleError";
}

/** Checks a schedule once, at the boundary. */
export function validateLrSchedule(schedule: LrSchedule): Required<LrSchedule> {
  const { decay = "cosine", peakLr, warmupSteps = 0, totalSteps } = schedule;
  if (!(peakLr >= 0) || !Number.isFinite(peakLr)) throw new LrScheduleError(`peakLr must be a finite number ≥ 0, got ${peakLr}`);
  if (!Number.isInteger(totalSteps) || totalSteps < 1) throw new LrScheduleError(`totalSteps must be an integer ≥ 1, got ${totalSteps}`);
  if (!Number.isInteger(warmupSteps) || warmupSteps < 0 || warmupSteps > totalSteps) {
    throw new LrScheduleError(`warmupSteps must be an integer in [0, totalSteps = ${totalSteps}], got ${warmupSteps}`);
  }
  if (decay !== "cosine" && decay !== "linear" && decay !== "constant") {
    throw new LrScheduleError(`decay must be "cosine", "linear" or "constant", got ${JSON.stringify(decay)}`);
  }
  return { decay, peakLr, warmupSteps, totalSteps };
}

/** HF's rounding of `warmup_ratio` into steps: ⌈ratio · total⌉. */
export function warmupStepsFromRatio(ratio: number, totalSteps: number): number {
  if (!(ratio >= 0 && ratio <= 1)) throw new LrScheduleError(`warmup ratio must be in [0, 1], got ${ratio}`);
  return Math.ceil(ratio * totalSteps);
}

/** The LR of optimizer update `step` (0-based); past `totalSteps` the decayed schedules stay at 0. */
export function learningRateAt(schedule: LrSchedule, step: number): number {
  const { decay, peakLr, warmupSteps, totalSteps } = validateLrSchedule(schedule);
  if (step < warmupSteps) return (peakLr * step) / Math.max(1, warmupSteps);
  if (decay === "constant") return peakLr;
  const progress = Math.min(1, (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps));
  if (decay === "linear") return peakLr * Math.max(0, 1 - progress);
  return peakLr * Math.max(0, 0.5 * (1 + Math.cos(Math.PI * progress)));
}
