// Public API of this package; filled in as its issue lands.
export {};

// Llama-family models: HF config parsing and the weight layout it implies.
export { ModelConfigError, UnsupportedModelTypeError, modelFamilies, modelFamily, parseLlamaConfig } from "./models/llama/config.js";
export type { LlamaConfig, ModelFamily } from "./models/llama/config.js";
export { llamaLayerLinears, llamaLinearShape, llamaWeightShapes } from "./models/llama/weights.js";
export type { LlamaLinearName, LlamaWeightShapesOptions } from "./models/llama/weights.js";

// Training pieces that need no graph: LR schedules, batching, logs, the loss guard.
export { LrScheduleError, learningRateAt, validateLrSchedule, warmupStepsFromRatio } from "./train/lr-schedule.js";
export type { LrDecay, LrSchedule } from "./train/lr-schedule.js";
export { BatchError, lengthGroupedBatches, padBatch, sequentialBatches } from "./train/batching.js";
export type { LengthGroupingOptions, PadOptions, PaddedBatch } from "./train/batching.js";
export { JsonLinesLog, ProgressLineLog, createTrainingLog } from "./train/training-log.js";
export type { LogStream, TrainingEvent, TrainingLog, TrainingLogOptions } from "./train/training-log.js";
export { NonFiniteLossError, assertFiniteLoss } from "./train/loss-guard.js";
