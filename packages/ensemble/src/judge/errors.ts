/**
 * An HTTP answer from the judge endpoint that is not a success. `retryable` is true for 408, 409, 425, 429 and 5xx;
 * other statuses (400, 401, 404…) mean a configuration problem that retrying cannot fix.
 */
export class JudgeHttpError extends Error {
  constructor(
    /** The request URL that answered. */
    readonly url: string,
    /** The HTTP status code. */
    readonly status: number,
    /** Whether retrying may succeed (408, 409, 425, 429 and 5xx). */
    readonly retryable: boolean,
    /** The wait the server asked for (`retry-after-ms` / `Retry-After`), in ms, or `undefined`. */
    readonly retryAfterMs: number | undefined,
    detail: string,
  ) {
    super(`${url}: HTTP ${status}${detail ? ` — ${detail}` : ""}`);
    this.name = "JudgeHttpError";
  }
}

/** A request that got no usable answer: timed out, lost its connection, or returned a body that is not a chat completion. */
export class JudgeTransportError extends Error {
  /** Always true: transport failures are worth retrying. */
  readonly retryable = true;
  constructor(
    /** The request URL. */
    readonly url: string,
    /** What went wrong: no answer in time, a connection failure, or a body that is not a chat completion. */
    readonly kind: "timeout" | "network" | "malformed",
    detail: string,
  ) {
    super(`${url}: ${kind} — ${detail}`);
    this.name = "JudgeTransportError";
  }
}

/** A judge prompt template (built-in or `--template` file) that cannot be used. */
export class JudgeTemplateError extends Error {
  constructor(
    /** Where the template came from (the `--template` file path); the message starts with it. */
    readonly source: string,
    detail: string,
  ) {
    super(`${source}: ${detail}`);
    this.name = "JudgeTemplateError";
  }
}

/** A judge calibration file, price table or labelled set that cannot be used. */
export class JudgeCalibrationError extends Error {
  constructor(
    /** The file, table or function whose input is bad; the message starts with it. */
    readonly source: string,
    detail: string,
  ) {
    super(`${source}: ${detail}`);
    this.name = "JudgeCalibrationError";
  }
}

/** Options given to the judge that it cannot use (named field, value, expectation). */
export class JudgeOptionsError extends Error {
  constructor(
    /** The option's name. */
    readonly field: string,
    detail: string,
  ) {
    super(`judge option ${field}: ${detail}`);
    this.name = "JudgeOptionsError";
  }
}
