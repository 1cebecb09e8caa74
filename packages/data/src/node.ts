// Node-only entry: files, gzip, tokenizer folders, the bundled sample and the load benchmark.
export { openFile } from "./file-source.js";
export { loadTokenizer } from "./tokenizer-files.js";
export { loadDatasetFile, inspectDataset } from "./dataset-file.js";
export { arenaSamplePath } from "./sample-path.js";
export { measureArenaLoad, writeRepeatedArena } from "./load-benchmark.js";

export type { DatasetFileOptions, InspectOptions } from "./dataset-file.js";
export type { LoadBenchmark } from "./load-benchmark.js";
