/** PEFT interop constants, in one place (mirrors peft/utils/constants.py and save_and_load.py). */

/** The adapter config file PEFT writes next to the weights. */
export const ADAPTER_CONFIG_NAME = "adapter_config.json";
/** The adapter weights file PEFT writes (safetensors). */
export const ADAPTER_WEIGHTS_NAME = "adapter_model.safetensors";
/** The index file of a sharded safetensors checkpoint. */
export const SAFETENSORS_INDEX_NAME = "model.safetensors.index.json";

/** Every adapter key starts with this: PeftModel.base_model (LoraModel) → .model (the transformers model). */
export const PEFT_KEY_PREFIX = "base_model.model.";
/** Key segment of the LoRA down-projection; saved as `<module>.lora_A.weight`, shape r × in. */
export const LORA_A = "lora_A";
/** Key segment of the LoRA up-projection; saved as `<module>.lora_B.weight`, shape out × r. */
export const LORA_B = "lora_B";
/** Suffix of the weight tensor inside lora_A / lora_B. */
export const WEIGHT_SUFFIX = "weight";
/**
 * DoRA's magnitude: saved as `<module>.lora_magnitude_vector` with no `.weight` suffix (PEFT strips it on save and
 * puts it back on load, see get_peft_model_state_dict); files with the suffix are accepted on read too.
 */
export const LORA_MAGNITUDE = "lora_magnitude_vector";

/**
 * Classification heads PEFT adds to modules_to_save for task_type SEQ_CLS (decoders name it `score`, encoders
 * `classifier`). Their tensors are saved as plain module weights: `base_model.model.score.weight`.
 */
export const SEQ_CLS_HEADS = ["classifier", "score"] as const;

/** The PEFT adapter name removed from saved keys (`lora_A.default.weight` → `lora_A.weight`). */
export const DEFAULT_ADAPTER_NAME = "default";

/** safetensors: a header larger than this is refused (the reference implementation's limit). */
export const SAFETENSORS_MAX_HEADER_BYTES = 100_000_000;
