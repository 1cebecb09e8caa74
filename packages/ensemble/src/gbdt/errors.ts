/** An option of the gradient-boosted-trees learner is out of range. */
export class GbdtOptionsError extends Error {
  override readonly name = "GbdtOptionsError";
  constructor(
    /** The option that is wrong, e.g. `maxDepth`. */
    readonly field: string,
    /** The value given. */
    readonly value: unknown,
    /** What was expected instead. */
    readonly expected: string,
  ) {
    super(`GBDT option \`${field}\` = ${JSON.stringify(value)}: expected ${expected}`);
  }
}

/** Training or prediction data does not fit the learner (shape, label range, non-finite values). */
export class GbdtInputError extends Error {
  override readonly name = "GbdtInputError";
}

/** A serialised model (JSON) is malformed or of an unknown format version. */
export class GbdtFormatError extends Error {
  override readonly name = "GbdtFormatError";
}
