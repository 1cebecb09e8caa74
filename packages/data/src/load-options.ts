import { DataFormatError, InvalidOptionError, type DataErrorLocation } from "./errors.js";
import type { ProblemsReport } from "./problems.js";
import type { PreferenceTable } from "./schema.js";

/** Options every loader takes. */
export interface LoadOptions {
  /** Name used in error messages and in the problems report. Defaults to `"<input>"`. */
  fileName?: string;
  /** On a malformed record: `"fail"` throws a {@link DataFormatError}; `"skip"` drops it and lists it in `problems.skipped`. Defaults to `"fail"`. */
  onError?: "fail" | "skip";
}

/** A loaded dataset: the table and everything noticed on the way. */
export interface LoadResult {
  /** The loaded rows in the common schema, in input order (malformed records skipped under `onError: "skip"` are absent). */
  table: PreferenceTable;
  /** Everything repaired, counted or skipped while loading. */
  problems: ProblemsReport;
}

/** {@link LoadOptions} with defaults applied. */
export type ResolvedLoadOptions = Required<LoadOptions>;

export function resolveLoadOptions(options: LoadOptions = {}): ResolvedLoadOptions {
  const { fileName = "<input>", onError = "fail", ...unknown } = options;
  const extra = Object.keys(unknown);
  if (extra.length > 0) throw new InvalidOptionError(extra[0], "(unknown option)", "one of fileName, onError");
  if (onError !== "fail" && onError !== "skip") throw new InvalidOptionError("onError", onError, '"fail" or "skip"');
  if (typeof fileName !== "string") throw new InvalidOptionError("fileName", fileName, "a string");
  return { fileName, onError };
}

/** Throws, or records the record as skipped, according to `onError`. */
export function malformed(
  options: ResolvedLoadOptions,
  problems: ProblemsReport,
  location: Omit<DataErrorLocation, "file">,
  id = "",
): void {
  if (options.onError === "fail") throw new DataFormatError({ file: options.fileName, ...location });
  problems.skipped.push({ id, ...location });
}
