/**
 * LoRA initialisation strategies, one per `init_lora_weights` value (PEFT's LoraLayer.reset_lora_parameters and
 * pissa_init), plus DoRA's magnitude (the row norms of the starting W + s·B·A).
 */
import { loraScaling, type InitLoraWeights, type LoraConfig } from "./config.js";
import { LoraConfigError, ShapeError } from "./errors.js";
import type { LoraLayerWeights } from "./layer.js";
import type { Rng } from "./rng.js";
import { topSingular } from "./svd.js";
import { doraWeightNorm } from "./variants/dora.js";
import { addDelta } from "./variants/standard.js";

/** The base layer an adapter is initialised for. */
export interface InitTarget {
  /** Columns of W. */
  inFeatures: number;
  /** Rows of W. */
  outFeatures: number;
  /** W (out × in); needed by PiSSA and DoRA, ignored otherwise. Defaults to `null`. */
  weight?: Float32Array | null;
}

/** A freshly initialised layer. */
export interface InitResult {
  /** The LoRA tensors (with a magnitude when use_dora). */
  lora: LoraLayerWeights;
  /** PiSSA only: the residual W − s·B·A the base layer must use from now on; null for the other strategies. */
  residualWeight: Float32Array | null;
}

type Strategy = (target: InitTarget, r: number, s: number, rng: Rng) => { A: Float32Array; B: Float32Array; residualWeight: Float32Array | null };

/** kaiming_uniform_(a=√5) as nn.Linear uses it: U(−1/√fan_in, 1/√fan_in). */
function kaimingUniform(out: Float32Array, fanIn: number, rng: Rng): Float32Array {
  const bound = 1 / Math.sqrt(fanIn);
  return rng.fillUniform(out, -bound, bound);
}

const kaimingZero: Strategy = ({ inFeatures, outFeatures }, r, _s, rng) => ({
  A: kaimingUniform(new Float32Array(r * inFeatures), inFeatures, rng),
  B: new Float32Array(outFeatures * r),
  residualWeight: null,
});

const gaussianZero: Strategy = ({ inFeatures, outFeatures }, r, _s, rng) => ({
  A: rng.fillNormal(new Float32Array(r * inFeatures), 1 / r),
  B: new Float32Array(outFeatures * r),
  residualWeight: null,
});

// init_lora_weights=false: PEFT skips its reset, so both factors keep nn.Linear's own Kaiming init.
const bothRandom: Strategy = ({ inFeatures, outFeatures }, r, _s, rng) => ({
  A: kaimingUniform(new Float32Array(r * inFeatures), inFeatures, rng),
  B: kaimingUniform(new Float32Array(outFeatures * r), r, rng),
  residualWeight: null,
});

/** PiSSA: W ≈ U S Vᵀ; A = √(S_r/s)·V_rᵀ, B = U_r·√(S_r/s), and the base keeps W − s·B·A. */
function pissa(niter: number): Strategy {
  return (target, r, s, rng) => {
    const W = requireWeight(target, "PiSSA");
    const { inFeatures: inF, outFeatures: out } = target;
    const { U, S, Vt } = topSingular(W, out, inF, r, rng, { niter });
    const A = new Float32Array(r * inF);
    const B = new Float32Array(out * r);
    for (let j = 0; j < r; j++) {
      const root = Math.sqrt(S[j] / s);
      for (let c = 0; c < inF; c++) A[j * inF + c] = root * Vt[j * inF + c];
      for (let o = 0; o < out; o++) B[o * r + j] = U[o * r + j] * root;
    }
    const residualWeight = W.slice();
    addDelta(residualWeight, { inFeatures: inF, outFeatures: out, r, A, B, magnitude: null }, s, -1);
    return { A, B, residualWeight };
  };
}

// "pissa" asks for the exact SVD; subspace iteration run this long has converged for any spectrum with a gap.
const PISSA_FULL_ITERATIONS = 32;

function strategyFor(init: InitLoraWeights): Strategy {
  if (init === true) return kaimingZero;
  if (init === false) return bothRandom;
  if (init === "gaussian") return gaussianZero;
  if (init === "pissa") return pissa(PISSA_FULL_ITERATIONS);
  const niter = /^pissa_niter_(\d+)$/.exec(init);
  if (niter !== null) return pissa(Number(niter[1]));
  throw new LoraConfigError("init_lora_weights", init, 'true, false, "gaussian", "pissa" or "pissa_niter_<n>"');
}

function requireWeight(target: InitTarget, who: string): Float32Array {
  const W = target.weight ?? null;
  if (W === null) throw new ShapeError(`${who} init needs the base weight W (${target.outFeatures}×${target.inFeatures})`);
  if (W.length !== target.outFeatures * target.inFeatures) {
    throw new ShapeError(`W has ${W.length} elements; expected ${target.outFeatures * target.inFeatures} (${target.outFeatures}×${target.inFeatures})`);
  }
  return W;
}

/** Initialises one layer's LoRA tensors as `config.init_lora_weights` says, drawing from `rng`. */
export function initLoraLayer(
  target: InitTarget,
  config: Pick<LoraConfig, "r" | "lora_alpha" | "use_rslora" | "use_dora" | "init_lora_weights">,
  rng: Rng,
): InitResult {
  const { r } = config;
  if (r > Math.min(target.inFeatures, target.outFeatures) && typeof config.init_lora_weights === "string" && config.init_lora_weights.startsWith("pissa")) {
    throw new LoraConfigError("r", r, `at most min(in, out) = ${Math.min(target.inFeatures, target.outFeatures)} for PiSSA`);
  }
  const s = loraScaling(config);
  const { A, B, residualWeight } = strategyFor(config.init_lora_weights)(target, r, s, rng);
  const lora: LoraLayerWeights = { inFeatures: target.inFeatures, outFeatures: target.outFeatures, r, A, B, magnitude: null };
  if (config.use_dora) lora.magnitude = doraWeightNorm(residualWeight ?? requireWeight(target, "DoRA"), lora, s);
  return { lora, residualWeight };
}
