// Public API of this package; filled in as its issue lands.
export {};

// Llama-family models: HF config parsing and the weight layout it implies.
export { ModelConfigError, UnsupportedModelTypeError, modelFamilies, modelFamily, parseLlamaConfig } from "./models/llama/config.js";
export type { LlamaConfig, ModelFamily } from "./models/llama/config.js";
export { llamaLayerLinears, llamaLinearShape, llamaWeightShapes } from "./models/llama/weights.js";
export type { LlamaLinearName, LlamaWeightShapesOptions } from "./models/llama/weights.js";
