// Node-only parts of @lora-litee/ensemble (file system, processes); everything browser-safe is in index.ts.

// LLM judge: answers cached as one file per request
export { FileJudgeCache } from "./judge/file-cache.js";

// Prediction, label and arena files (Kaggle submission layout in and out)
export { readArenaRows, readLabelsCsv, readPredictionsCsv, writePredictionsCsv } from "./io/files.js";
export { formatPredictionsCsv, parseLabelsCsv, parsePredictionsCsv } from "./io/prediction-csv.js";
