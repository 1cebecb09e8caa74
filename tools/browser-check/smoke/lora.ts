// @lora-litee/lora in the browser: merge a rank-1 LoRA pair into a 2×3 weight; W + s·B·A computed by hand.
import { merge } from "@lora-litee/lora";

export async function smoke(): Promise<string> {
  const W = new Float32Array(6);
  const lora = { inFeatures: 3, outFeatures: 2, r: 1, A: new Float32Array([1, 2, 3]), B: new Float32Array([1, -1]), magnitude: null };
  merge(W, lora, 0.5);
  const expected = [0.5, 1, 1.5, -0.5, -1, -1.5];
  if (expected.some((v, i) => W[i] !== v)) throw new Error(`merge: expected ${expected}, got ${Array.from(W)}`);
  return `merge: W = [${Array.from(W).join(", ")}]`;
}
