// Public API of @lora-litee/lora (browser-capable: no Node built-ins; file I/O lives in "@lora-litee/lora/node").

// LoRA linear layer: forward, backward, merge, variants
export { loraForward, loraBackward, merge, unmerge, loraVariant } from "./linear.js";
export { doraWeightNorm } from "./variants/dora.js";
export { initLoraLayer } from "./init.js";
export { dropoutMask, applyDropout } from "./dropout.js";
export { topSingular } from "./svd.js";
export { gemm } from "./kernels/gemm.js";
export { Rng } from "./rng.js";

// Config
export { parseLoraConfig, loraScaling, LORA_CONFIG_DEFAULTS } from "./config.js";

// Adapters and PEFT files
export { averageAdapters } from "./adapter/adapter.js";
export { encodeAdapter, decodeAdapter } from "./adapter/peft-format.js";
export { modelShapesFromConfig } from "./adapter/model-shapes.js";

// safetensors
export { parseSafetensors, parseHeader, readHeaderLength, tensorFromBytes } from "./safetensors/parse.js";
export { serializeSafetensors } from "./safetensors/serialize.js";
export { halfToFloat32, float32ToHalf } from "./safetensors/half.js";
export { DTYPES, numel } from "./safetensors/dtypes.js";

// Benchmark body (the CLI's `litee bench lora` calls it)
export { benchLora } from "./benchmark.js";

export * from "./constants.js";
export {
  LoraConfigError,
  ShapeError,
  MergeNotFiniteError,
  SafetensorsError,
  SafetensorsHeaderError,
  SafetensorsDtypeError,
  SafetensorsOffsetError,
  SafetensorsShapeError,
  AdapterShapeError,
  AdapterKeyError,
} from "./errors.js";

export type { LoraConfig, TaskType, InitLoraWeights } from "./config.js";
export type { LinearWeights, LoraLayerWeights } from "./layer.js";
export type {
  ForwardOptions,
  BackwardOptions,
  LoraCache,
  LoraForwardResult,
  LoraGradients,
  LoraVariant,
  MergeRecord,
} from "./variants/variant.js";
export type { MergeOptions } from "./linear.js";
export type { InitTarget, InitResult } from "./init.js";
export type { DropoutMask } from "./dropout.js";
export type { TopSingular, TopSingularOptions } from "./svd.js";
export type { LoraAdapter } from "./adapter/adapter.js";
export type { AdapterFiles, DecodeAdapterOptions } from "./adapter/peft-format.js";
export type { ModelShapes } from "./adapter/model-shapes.js";
export type { DType, DTypeArrays, Tensor, TensorData } from "./safetensors/dtypes.js";
export type { TensorInfo, SafetensorsHeader, ReadOptions, Safetensors } from "./safetensors/parse.js";
export type { BenchLoraOptions, BenchLoraResult, BenchRow, MatMulReference } from "./benchmark.js";
