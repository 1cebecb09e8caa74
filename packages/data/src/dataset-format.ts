import { loadArena } from "./arena-csv.js";
import { InvalidOptionError } from "./errors.js";
import { loadHhRlhf } from "./hh-rlhf.js";
import type { LoadOptions, LoadResult } from "./load-options.js";
import { loadPairJsonl } from "./pair-jsonl.js";
import type { DataSource } from "./text-source.js";

/** Input layouts: Kaggle arena CSV, HH-RLHF `{chosen, rejected}` JSONL, plain pair JSONL. */
export const DATASET_FORMATS = ["kaggle", "hh-rlhf", "jsonl"] as const;

/** One of {@link DATASET_FORMATS}. */
export type DatasetFormat = (typeof DATASET_FORMATS)[number];

/** Loads a source in the given format (HH-RLHF with its defaults). */
export function loadDataset(source: DataSource, format: DatasetFormat, options?: LoadOptions): Promise<LoadResult> {
  switch (format) {
    case "kaggle":
      return loadArena(source, options);
    case "hh-rlhf":
      return loadHhRlhf(source, options);
    case "jsonl":
      return loadPairJsonl(source, options);
    default:
      throw new InvalidOptionError("format", format satisfies never, DATASET_FORMATS.join(", "));
  }
}

/** Checks a format name coming from outside (a CLI flag, a config file). */
export function parseDatasetFormat(value: string): DatasetFormat {
  if ((DATASET_FORMATS as readonly string[]).includes(value)) return value as DatasetFormat;
  throw new InvalidOptionError("format", value, DATASET_FORMATS.join(", "));
}
