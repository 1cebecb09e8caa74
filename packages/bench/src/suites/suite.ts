import type { SuiteResult } from "../result.js";

/** Options every suite takes. */
export interface SuiteOptions {
  /** Small shapes and few repeats, for tests and smoke runs; numbers are then not comparable. Defaults to `false`. */
  quick?: boolean;
}

/** One benchmark suite of `litee bench`. */
export interface Suite {
  /** What it measures, for `--help` and the table header. */
  readonly description: string;
  /** Runs the suite once and reports its cases, notes and the peak RSS of the process. */
  run(options: SuiteOptions): Promise<SuiteResult>;
}
