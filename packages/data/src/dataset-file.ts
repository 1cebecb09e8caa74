import { describeDataset, type DatasetReport } from "./dataset-report.js";
import { loadDataset, parseDatasetFormat, type DatasetFormat } from "./dataset-format.js";
import { openFile } from "./file-source.js";
import type { LoadOptions, LoadResult } from "./load-options.js";
import { loadTokenizer } from "./tokenizer-files.js";
import type { TextTokenizer } from "./tokenizer.js";

/** Options for {@link loadDatasetFile}. */
export interface DatasetFileOptions {
  /** Input layout. Defaults to `"kaggle"` for `.csv` names, otherwise `"hh-rlhf"` when the first record has `chosen`, else `"jsonl"`. */
  format?: DatasetFormat | string;
  /** On a malformed record: throw, or skip it and list it in the report. Defaults to `"fail"`. */
  onError?: LoadOptions["onError"];
}

/** Options for {@link inspectDataset}. */
export interface InspectOptions extends DatasetFileOptions {
  /** A tokenizer folder (tokenizer.json + tokenizer_config.json) or a loaded tokenizer, for token-length percentiles. Defaults to `undefined` (no token statistics). */
  tokenizer?: string | TextTokenizer;
}

/** Loads a dataset file (gzip-compressed or plain) in any supported format. */
export async function loadDatasetFile(
  path: string,
  options: DatasetFileOptions = {},
): Promise<LoadResult & { format: DatasetFormat }> {
  const format = options.format === undefined ? await guessFormat(path) : parseDatasetFormat(options.format);
  const loaded = await loadDataset(await openFile(path), format, { fileName: path, onError: options.onError ?? "fail" });
  return { ...loaded, format };
}

/** Loads a dataset file and summarises it: rows, labels, turns, lengths and the problems report. */
export async function inspectDataset(path: string, options: InspectOptions = {}): Promise<DatasetReport> {
  const { tokenizer, ...fileOptions } = options;
  const { table, problems, format } = await loadDatasetFile(path, fileOptions);
  const loadedTokenizer = typeof tokenizer === "string" ? await loadTokenizer(tokenizer) : tokenizer;
  return describeDataset(table, problems, format, loadedTokenizer);
}

async function guessFormat(path: string): Promise<DatasetFormat> {
  if (/\.csv(\.gz)?$/i.test(path)) return "kaggle";
  for await (const chunk of await openFile(path)) {
    const head = new TextDecoder().decode(chunk.subarray(0, 4096));
    return /^\s*\{\s*"chosen"/.test(head) ? "hh-rlhf" : "jsonl";
  }
  return "jsonl";
}
