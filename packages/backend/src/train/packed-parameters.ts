import type { TrainedParameters } from "./lora-parameters.js";

/**
 * The trained parameters packed end to end into one flat vector, as the optimizer-step graph takes them (AdamW is
 * elementwise and the clip norm global, so packing changes no value), and split back after the step.
 */

/** The parameters laid end to end in `keys` order, as the update graph takes them. */
export function pack(keys: readonly string[], params: TrainedParameters, size: number): Float32Array {
  const flat = new Float32Array(size);
  let offset = 0;
  for (const key of keys) {
    const value = params.get(key)!;
    flat.set(value, offset);
    offset += value.length;
  }
  return flat;
}

/** Splits a packed vector back into `params` (new arrays, in place of the old ones). */
export function unpack(keys: readonly string[], params: TrainedParameters, flat: Float32Array): void {
  let offset = 0;
  for (const key of keys) {
    const length = params.get(key)!.length;
    params.set(key, flat.slice(offset, offset + length));
    offset += length;
  }
}
