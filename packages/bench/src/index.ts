export { measure, summarise } from "./measure.js";
export type { MeasureOptions, Timing } from "./measure.js";
export { machineInfo, peakRssMiB } from "./machine.js";
export type { MachineInfo } from "./machine.js";
export { compareRuns } from "./compare.js";
export type { Comparison } from "./compare.js";
export type { BenchRun, CaseResult, SuiteResult } from "./result.js";
