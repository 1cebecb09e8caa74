// Browser-capable entry: no Node built-ins. File and gzip I/O live in "@lora-litee/data/node".

// Loading
export { loadArena } from "./arena-csv.js";
export { loadHhRlhf } from "./hh-rlhf.js";
export { loadPairJsonl } from "./pair-jsonl.js";
export { loadDataset, parseDatasetFormat, DATASET_FORMATS } from "./dataset-format.js";
export { Label, PREFERENCE_COLUMNS, rowAt } from "./schema.js";
export { emptyProblemsReport, problemsFound } from "./problems.js";
export { DataFormatError, InvalidOptionError } from "./errors.js";

// Splitting and augmentation
export { kFold, holdout } from "./split.js";
export { swapAB } from "./swap.js";

// Model input
export { createTokenizer } from "./tokenizer.js";
export { formatPair } from "./format-pair.js";
export { TEMPLATES } from "./template.js";

// Inspection
export { describeDataset } from "./dataset-report.js";

export type { DataSource } from "./text-source.js";
export type { LoadOptions, LoadResult } from "./load-options.js";
export type { HhRlhfOptions } from "./hh-rlhf.js";
export type { DatasetFormat } from "./dataset-format.js";
export type { LabelValue, PreferenceRow, PreferenceTable } from "./schema.js";
export type { ProblemCount, ProblemName, ProblemsReport, RowRef, SkippedRow } from "./problems.js";
export type { DataErrorLocation } from "./errors.js";
export type { Split, SplitOptions } from "./split.js";
export type { TextTokenizer } from "./tokenizer.js";
export type { FormatBudget, FormattedPair } from "./format-pair.js";
export type { PairPart, PairTemplate, TemplateName } from "./template.js";
export type { DatasetReport, LengthStats, TurnStats } from "./dataset-report.js";
