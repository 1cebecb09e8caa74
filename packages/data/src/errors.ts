/** Where a data error happened and what was expected there. */
export interface DataErrorLocation {
  /** File (or source) name as given by the caller. */
  file: string;
  /** 1-based physical line where the offending record starts; 0 when not tied to a line. */
  line: number;
  /** Column or JSON key that failed, or `"(record)"` for whole-record problems. */
  field: string;
  /** What the loader expected to find. */
  expected: string;
  /** A short excerpt of what it found instead. */
  found: string;
}

/** Malformed input that the loader cannot repair: unterminated quote, wrong column count, bad JSON, unknown column. */
export class DataFormatError extends Error {
  override name = "DataFormatError";
  /** File (or source) name as given by the caller (`fileName` option). */
  readonly file: string;
  /** 1-based physical line where the offending record starts; 0 when not tied to a line. */
  readonly line: number;
  /** Column or JSON key that failed, or a placeholder such as `"(record)"` or `"(header)"` when no single field is at fault. */
  readonly field: string;
  /** What the loader expected to find. */
  readonly expected: string;
  /** A short excerpt of what it found instead. */
  readonly found: string;

  constructor(location: DataErrorLocation) {
    super(
      `${location.file}:${location.line}: field "${location.field}": expected ${location.expected}, found ${location.found}`,
    );
    this.file = location.file;
    this.line = location.line;
    this.field = location.field;
    this.expected = location.expected;
    this.found = location.found;
  }
}

/** An option value outside its valid set, caught once at the API boundary. */
export class InvalidOptionError extends Error {
  override name = "InvalidOptionError";

  constructor(option: string, value: unknown, expected: string) {
    super(`option "${option}": expected ${expected}, got ${excerpt(value)}`);
  }
}

/** A short, single-line rendering of a value for error messages. */
export function excerpt(value: unknown, max = 60): string {
  const text = typeof value === "string" ? JSON.stringify(value) : String(value);
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
