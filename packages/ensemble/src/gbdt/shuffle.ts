import type { Rng } from "@lora-litee/lora";

/** Shuffles `values` in place (Fisher–Yates) with the given generator. */
export function shuffleInPlace(values: Uint32Array, rng: Rng): void {
  for (let i = values.length - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    const tmp = values[i];
    values[i] = values[j];
    values[j] = tmp;
  }
}
