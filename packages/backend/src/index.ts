// Graph and types
export { Graph } from "./graph.js";
export type { Initializer } from "./graph.js";
export type { DType, HostArray } from "./dtype.js";
export type { Dim, Shape } from "./shape.js";
export type { HostTensor, Feeds } from "./host-tensor.js";
export type { OpType, OpParams, Tensor, Node, NDArray, VjpRule, OpDef } from "./ops/types.js";
export { ShapeError, GradientError, GraphError, FeedError, ExecutionError } from "./errors.js";

// Ops
export { add, sub, mul, div, pow, mod, sqrt, exp, log, neg, tanh, erf, sigmoid, equal, less, where, cast } from "./ops/index.js";
export { matMul, gemm, transposeLast, reduceSum, reduceMean, reduceMax, softmax, logSoftmax } from "./ops/index.js";
export { transpose, shapeOf, reshape, reshapeLike, expand, expandLike, unsqueeze, squeeze, concat, slice, pad, TO_END } from "./ops/index.js";
export { gather, scatterAdd, range, trilu } from "./ops/index.js";
export type { Operand } from "./ops/elementwise.js";
export type { GemmOptions } from "./ops/linalg.js";
export type { ReduceOptions } from "./ops/reduce.js";

// Autodiff, reference interpreter, ONNX, execution
export { grad, sumToShape } from "./autodiff.js";
export type { GradOptions } from "./autodiff.js";
export { interpret } from "./interpreter.js";
export { serializeGraph, ONNX_IR_VERSION, ONNX_OPSET } from "./onnx/serialize.js";
export type { SerializeOptions, SerializedModel } from "./onnx/serialize.js";
export { Executor, CompiledGraph } from "./executor.js";
export type { Device, ExecutorOptions } from "./executor.js";

// Composite layers (no gradient rules of their own), optimizer pieces, the training-step benchmark
export { linear, loraLinear } from "./nn/linear.js";
export type { LoraAdapter } from "./nn/linear.js";
export { rmsNorm } from "./nn/norm.js";
export { ropeTables, applyRope } from "./nn/rope.js";
export type { RopeTables } from "./nn/rope.js";
export { attention, causalBias, positionsOf, splitHeads, mergeHeads } from "./nn/attention.js";
export { swiglu } from "./nn/mlp.js";
export type { SwigluWeights } from "./nn/mlp.js";
export { crossEntropy } from "./nn/loss.js";
export { llamaStack, llamaTrainableShapes, seededWeights } from "./nn/llama-stack.js";
export type { LlamaStack, LlamaStackConfig, WeightSource } from "./nn/llama-stack.js";
export { adamW } from "./optim/adamw.js";
export type { AdamWOptions, AdamWSlot, AdamWUpdate } from "./optim/adamw.js";
export { clipByGlobalNorm } from "./optim/clip.js";
export { accumulateGradients, averageAccumulated } from "./optim/accumulate.js";
export { trainStep } from "./optim/train-step.js";
export type { TrainStep, TrainStepOptions } from "./optim/train-step.js";
export { benchTrainStep } from "./bench/train-step.js";
export type { TrainStepBenchOptions, TrainStepBenchResult } from "./bench/train-step.js";

// Llama-family models from Hugging Face folders: config, weights, tokenizer specials, fixtures, the graph.
export { ModelConfigError, UnsupportedModelTypeError, modelFamilies, modelFamily, parseLlamaConfig } from "./models/llama/config.js";
export type { LlamaConfig, ModelFamily } from "./models/llama/config.js";
export { llamaLayerLinears, llamaLinearShape, llamaWeightShapes } from "./models/llama/weights.js";
export type { LlamaLinearName, LlamaWeightShapesOptions } from "./models/llama/weights.js";
export { ModelWeightsError, SUPPORTED_MODEL_TYPES, loadHfModel } from "./models/hf-model.js";
export type { HfModel, HfWeight } from "./models/hf-model.js";
export { loadLlamaModel } from "./models/llama/model.js";
export type { LlamaModel } from "./models/llama/model.js";
export { TOKENIZER_FILE_NAMES, TokenizerFilesError, copyTokenizerFiles, readTokenizerSpecials, tokenizerSpecials } from "./models/tokenizer-files.js";
export type { TokenizerSpecials } from "./models/tokenizer-files.js";
export { writeFixture } from "./models/fixture.js";
export { ARENA_LABELS, FixtureOptionError, commonConfigFields, fixtureSize } from "./models/fixture-folder.js";
export type { FixtureSizeOptions } from "./models/fixture-folder.js";
export type { FixtureOptions, WrittenFixture } from "./models/fixture.js";
export { buildLlamaClassifier } from "./models/llama/graph.js";
export type { LlamaClassifier, LlamaGraphOptions } from "./models/llama/graph.js";

// Any family, as training and prediction see it: its Linears, head and graph; LoRA targets and injection.
export { linearModules } from "./models/architecture.js";
export type { Architecture, Classifier, ClassifierGraphOptions, HeadTensor, LinearModule, TrainableParameter } from "./models/architecture.js";
export { architectureOf } from "./models/architecture-of.js";
export { LoraTargetError, planLora } from "./models/lora-targets.js";
export type { LoraPlan, LoraTarget } from "./models/lora-targets.js";
export { injectLora } from "./models/lora-injection.js";
export type { LoraInjection, LoraInjectionOptions } from "./models/lora-injection.js";
export { DROPOUT_HASH_PRIME, dropout, dropoutSeed } from "./nn/dropout.js";
export type { DropoutInputs } from "./nn/dropout.js";
export { buildDoraNormGraph } from "./models/dora-norm-graph.js";

// LoRA training and prediction.
export { ExampleError, encodeExamples } from "./train/examples.js";
export type { EncodedExamples, ExampleOptions } from "./train/examples.js";
export { trainLora } from "./train/trainer.js";
export type { TrainResult } from "./train/trainer.js";
export { TrainOptionError } from "./train/train-options.js";
export type { TrainOptions } from "./train/train-options.js";
export { trainKFold } from "./train/k-fold.js";
export type { KFoldOptions, KFoldResult } from "./train/k-fold.js";
export { PredictionError, predictProbabilities } from "./train/predict.js";
export type { PredictOptions } from "./train/predict.js";
export { AdapterMismatchError } from "./train/lora-parameters.js";
export { MetricsError, averageWithSwapped, classificationMetrics, softmaxRows } from "./train/metrics.js";
export type { ClassificationMetrics } from "./train/metrics.js";
export type { BenchShape, BenchShapeOptions } from "./models/bench-fixture.js";
export { benchTrain } from "./train/benchmark.js";
export type { BenchTrainOptions, BenchTrainResult } from "./train/benchmark.js";

// Training building blocks: schedules, batching, data order, logs, the loss guard, crash-safe checkpoints.
export { LrScheduleError, learningRateAt, validateLrSchedule, warmupStepsFromRatio } from "./train/lr-schedule.js";
export type { LrDecay, LrSchedule } from "./train/lr-schedule.js";
export { BatchError, lengthGroupedBatches, padBatch, sequentialBatches } from "./train/batching.js";
export type { LengthGroupingOptions, PadOptions, PaddedBatch } from "./train/batching.js";
export { advancePosition, epochBatches } from "./train/data-order.js";
export type { DataOrderOptions, DataPosition } from "./train/data-order.js";
export { JsonLinesLog, ProgressLineLog, createTrainingLog } from "./train/training-log.js";
export type { LogStream, TrainingEvent, TrainingLog, TrainingLogOptions } from "./train/training-log.js";
export { NonFiniteLossError, assertFiniteLoss } from "./train/loss-guard.js";
export { CHECKPOINT_MANIFEST, CheckpointError, checkpointDir, readCheckpoint, readLatestCheckpoint, writeCheckpoint } from "./train/checkpoint.js";
export type { CheckpointContents, LoadedCheckpoint, WriteCheckpointOptions } from "./train/checkpoint.js";

// Serving: a merged, self-contained ONNX export folder.
export { EXPORTED_MODEL_FILE, ExportOptionError, exportOnnx } from "./export/merged-onnx.js";
export { mergeAdapterByPath, mergedWeights } from "./export/merge-adapter.js";
export type { ExportOptions, ExportResult } from "./export/merged-onnx.js";
export { TeacherFileError, distillationLoss, klDivergence, parseTeacherCsv, teacherTargets } from "./train/distill.js";
export type { TeacherProbabilities } from "./train/distill.js";

// BERT-family encoders (BERT, MiniLM).
export { bertWeightShapes, parseBertConfig } from "./models/bert/config.js";
export type { BertActivation, BertConfig } from "./models/bert/config.js";
export { buildBertClassifier } from "./models/bert/graph.js";
export type { BertClassifier, BertGraphOptions, BertPooling } from "./models/bert/graph.js";
export { loadBertModel, writeBertFixture } from "./models/bert/model.js";
export type { BertFixtureOptions, BertModel } from "./models/bert/model.js";

// Gemma-2.
export { GEMMA2_LAYER_NORMS, gemma2LayerLinears, gemma2WeightShapes, parseGemma2Config } from "./models/gemma2/config.js";
export type { Gemma2Config } from "./models/gemma2/config.js";
export { buildGemma2Classifier } from "./models/gemma2/graph.js";
export type { Gemma2Classifier, Gemma2GraphOptions } from "./models/gemma2/graph.js";
export { loadGemma2Model, writeGemma2Fixture } from "./models/gemma2/model.js";
export type { Gemma2FixtureOptions, Gemma2Model } from "./models/gemma2/model.js";

// Hugging Face Hub downloads (opt-in network) and a local server in the hub's URL layout.
export { PullError, pullModel, selectModelFiles } from "./hub/pull.js";
export type { PullOptions, PullProgress, PullResult } from "./hub/pull.js";
export { serveHubFolder } from "./hub/hub-folder-server.js";
export type { HubFolderServer, HubFolderServerOptions } from "./hub/hub-folder-server.js";
export { benchInfer } from "./export/benchmark-infer.js";
export type { BenchInferOptions, BenchInferResult } from "./export/benchmark-infer.js";
export { quantizeColumns, quantizeMatMulWeights } from "./export/quantize.js";
export type { QuantizeResult } from "./export/quantize.js";
