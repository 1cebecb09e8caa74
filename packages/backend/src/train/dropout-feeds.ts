import type { Feeds } from "../host-tensor.js";
import type { Classifier } from "../models/architecture.js";

/** The `lora_dropout_seed` / `lora_dropout_rate` feeds of a classifier built with LoRA dropout (none otherwise); rate 0 evaluates. */
export function dropoutFeeds(model: Classifier, seed: number, rate: number): Feeds {
  if (!model.dropout) return {};
  return {
    [model.dropout.seed.name]: { data: BigInt64Array.of(BigInt(seed)), shape: [] },
    [model.dropout.rate.name]: { data: Float32Array.of(rate), shape: [] },
  };
}
