/** A prediction or label table that breaks the layout rules (ids, columns, probability rows). */
export class PredictionFileError extends Error {
  /**
   * @param source the file (or table name) that is wrong
   * @param row 1-based data row (header excluded) of the first problem, or `undefined` for file-level problems
   */
  constructor(
    readonly source: string,
    readonly row: number | undefined,
    detail: string,
  ) {
    super(`${source}${row === undefined ? "" : ` row ${row}`}: ${detail}`);
    this.name = "PredictionFileError";
  }
}

/** Options or inputs given to a model, strategy or metric that it cannot use. */
export class EnsembleInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EnsembleInputError";
  }
}

/** A saved model or strategy JSON that does not have the expected shape. */
export class ModelFormatError extends Error {
  constructor(
    /** What was being loaded (e.g. `"standardizer JSON"`); the message starts with it. */
    readonly what: string,
    detail: string,
  ) {
    super(`${what}: ${detail}`);
    this.name = "ModelFormatError";
  }
}
