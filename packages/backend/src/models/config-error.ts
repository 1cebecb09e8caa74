/** A `config.json` that cannot describe a supported model: names the file, the field, the value and the expectation. */
export class ModelConfigError extends Error {
  override readonly name = "ModelConfigError";
  constructor(
    /** The config file (or label) that was parsed. */
    readonly source: string,
    /** The HF field at fault. */
    readonly field: string,
    message: string,
  ) {
    super(`${source}: field "${field}" ${message}`);
  }
}
