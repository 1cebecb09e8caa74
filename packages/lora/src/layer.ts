/** The tensors of one adapted linear layer, in PyTorch's row-major layouts, and their shape checks. */
import { ShapeError } from "./errors.js";

/** A frozen base linear layer, nn.Linear layout: y = x·Wᵀ + bias. */
export interface LinearWeights {
  /** Columns of W (features in). */
  inFeatures: number;
  /** Rows of W (features out). */
  outFeatures: number;
  /** W, outFeatures × inFeatures, row-major. */
  weight: Float32Array;
  /** Bias of length outFeatures, or null for none. */
  bias: Float32Array | null;
}

/** The trainable LoRA tensors of one layer. */
export interface LoraLayerWeights {
  /** Columns of A (the base layer's inFeatures). */
  inFeatures: number;
  /** Rows of B (the base layer's outFeatures). */
  outFeatures: number;
  /** Rank. */
  r: number;
  /** lora_A, r × inFeatures. */
  A: Float32Array;
  /** lora_B, outFeatures × r. */
  B: Float32Array;
  /** DoRA's lora_magnitude_vector (length outFeatures), or null for plain LoRA. */
  magnitude: Float32Array | null;
}

/** Throws a ShapeError unless the LoRA tensors have the lengths their dimensions imply. */
export function checkLora(lora: LoraLayerWeights, what = "lora"): void {
  const { inFeatures: i, outFeatures: o, r } = lora;
  for (const [name, v] of [["inFeatures", i], ["outFeatures", o], ["r", r]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new ShapeError(`${what}.${name} = ${v}; expected a positive integer`);
  }
  expectLength(`${what}.A`, lora.A, r * i, `${r}×${i}`);
  expectLength(`${what}.B`, lora.B, o * r, `${o}×${r}`);
  if (lora.magnitude !== null) expectLength(`${what}.magnitude`, lora.magnitude, o, `${o}`);
}

/** Throws a ShapeError unless base and LoRA tensors agree in shape. */
export function checkLinear(base: LinearWeights, lora: LoraLayerWeights): void {
  checkLora(lora);
  if (base.inFeatures !== lora.inFeatures || base.outFeatures !== lora.outFeatures) {
    throw new ShapeError(
      `base layer is ${base.outFeatures}×${base.inFeatures} but the LoRA layer is ${lora.outFeatures}×${lora.inFeatures}`,
    );
  }
  expectLength("weight", base.weight, base.outFeatures * base.inFeatures, `${base.outFeatures}×${base.inFeatures}`);
  if (base.bias !== null) expectLength("bias", base.bias, base.outFeatures, `${base.outFeatures}`);
}

/** Throws a ShapeError unless `x` holds exactly `tokens` rows of `features`. */
export function expectLength(name: string, x: ArrayLike<number>, length: number, shape: string): void {
  if (x.length !== length) throw new ShapeError(`${name} has ${x.length} elements; expected ${length} (${shape})`);
}
