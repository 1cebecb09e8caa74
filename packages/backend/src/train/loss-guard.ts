/** A loss that is NaN or ±Inf: training stopped, and the last good checkpoint (if any) was kept. */
export class NonFiniteLossError extends Error {
  override readonly name = "NonFiniteLossError";
  constructor(
    /** The optimizer update whose loss was not finite (0-based). */
    readonly step: number,
    /** The loss that was seen. */
    readonly loss: number,
    /** The last checkpoint written before this step, or null when none was. */
    readonly lastCheckpoint: string | null,
  ) {
    super(
      `loss is ${loss} at step ${step}; training stopped before applying the update. ` +
        (lastCheckpoint === null ? "No checkpoint was written yet." : `The last good checkpoint is ${lastCheckpoint}.`) +
        " Lower the learning rate or check the inputs of this batch.",
    );
  }
}

/** Throws `NonFiniteLossError` unless `loss` is finite; call it before the update is applied. */
export function assertFiniteLoss(loss: number, step: number, lastCheckpoint: string | null): void {
  if (!Number.isFinite(loss)) throw new NonFiniteLossError(step, loss, lastCheckpoint);
}
