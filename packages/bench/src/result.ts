import type { MachineInfo } from "./machine.js";
import type { Timing } from "./measure.js";

/** One measured configuration inside a suite (a shape, a dataset size, a device). */
export interface CaseResult {
  /** Stable name, used to match cases when comparing runs, e.g. `merge 4096x4096 r64`. */
  name: string;
  /** Numbers where higher is better unless the name says otherwise (`…Ms`, `…MiB`). */
  metrics: Record<string, number>;
  /** Free-form facts about the case (device, shapes, reference used). */
  info?: Record<string, string | number | boolean>;
  /** Wall-time samples behind the metrics, where the suite took several. */
  timing?: Timing;
}

/** What one suite reports. */
export interface SuiteResult {
  /** Suite name, as `litee bench` takes it. */
  suite: string;
  /** Every measured configuration. */
  cases: CaseResult[];
  /** Peak resident set of the process that ran the suite, in MiB. */
  peakRssMiB: number;
  /** Honest remarks: what was skipped, what the comparison was against. */
  notes: string[];
}

/** A whole `litee bench` run, as written by `--json`. */
export interface BenchRun {
  /** Where it ran. */
  machine: MachineInfo;
  /** ISO 8601 time the run started. */
  startedAt: string;
  /** One result per suite, in the order they ran. */
  results: SuiteResult[];
}
