import { Rng } from "@lora-litee/lora";
import type { Graph } from "../graph.js";
import { ShapeError } from "../errors.js";
import { add, cast, div, gather, less, mod, mul, shapeOf, sub, unsqueeze, where } from "../ops/index.js";
import type { Tensor } from "../ops/types.js";
import { positionsOf } from "./attention.js";

/**
 * Dropout masks computed inside the graph from a counter-based hash, so a step's masks are a pure function of its
 * seed input: no generator state lives in the session, a resumed run draws the masks an uninterrupted one did, and
 * forward and backward read the same mask. Each row (token) hashes its index and the seed through three rounds of
 * `h ← h² + c mod P` on the small `[..rows, 1]` tensor; each element is then `rowHash · columnKey mod P`, with one
 * random key per feature and mask (drawn on the host from the salt), and is dropped when that is below `rate·P`.
 * That leaves two int64 ops over the full tensor; P < 2²⁶ keeps every product exact, in onnxruntime and in the
 * float64 interpreter alike.
 */

/** The hash modulus: the largest prime below 2²⁶. */
export const DROPOUT_HASH_PRIME = 67108859;
const ROUND_CONSTANTS = [12345701, 40503, 9576891];
const ROW_MULTIPLIER = 1103515;

/** The graph inputs that drive the masks. */
export interface DropoutInputs {
  /** int64 scalar, different for every micro-batch (see `dropoutSeed`). */
  readonly seed: Tensor;
  /** float32 scalar drop probability; 0 turns dropout off (evaluation). */
  readonly rate: Tensor;
}

/**
 * `x ⊙ mask` for `x` `[..rows, features]` (rank 2 or 3): each element kept with probability 1 − rate and scaled by
 * 1 / (1 − rate), as `torch.nn.Dropout` in training mode. `salt` tells apart masks drawn on the same `x`; pass the
 * `dropoutRowHash` of `x` when several masks are drawn on it, so its rounds run once.
 */
export function dropout(g: Graph, x: Tensor, inputs: DropoutInputs, salt: number, rowHash: Tensor = dropoutRowHash(g, x, inputs)): Tensor {
  return g.scope("dropout", () => {
    const P = DROPOUT_HASH_PRIME;
    const features = Number(x.shape[x.shape.length - 1]);
    const keys = new Rng(salt + 1);
    const columns = Array.from({ length: features }, () => 1 + keys.nextInt(P - 1));
    const h = mod(g, mul(g, rowHash, g.constant(columns, "int64", [features])), P);
    const threshold = cast(g, mul(g, inputs.rate, P), "int64");
    const keep = div(g, g.constant(1), sub(g, g.constant(1), inputs.rate));
    return mul(g, x, where(g, less(g, h, threshold), g.constant(0), keep));
  });
}

/** The hash of each row of `x` (every axis but the last) and the seed, int64 `[..rows, 1]`, in [1, P): shared by all masks on `x`. */
export function dropoutRowHash(g: Graph, x: Tensor, inputs: DropoutInputs): Tensor {
  return g.scope("dropout_rows", () => {
    const P = DROPOUT_HASH_PRIME;
    let h = mod(g, add(g, mul(g, rowIndex(g, x), ROW_MULTIPLIER), inputs.seed), P);
    for (const c of ROUND_CONSTANTS) h = mod(g, add(g, mul(g, h, h), c), P);
    // a zero row hash would zero the row's products: keep it in [1, P)
    return add(g, mod(g, h, P - 1), 1);
  });
}

/** The flat row of each element of `x` but the last axis, int64, shaped to broadcast against `x`: `[rows…, 1]`. */
function rowIndex(g: Graph, x: Tensor): Tensor {
  if (x.shape.length === 2) return unsqueeze(g, positionsOf(g, x, 0), [1]);
  if (x.shape.length === 3) {
    const seq = gather(g, shapeOf(g, x), g.constant(1, "int64"));
    return add(g, mul(g, unsqueeze(g, positionsOf(g, x, 0), [1, 2]), seq), unsqueeze(g, positionsOf(g, x, 1), [0, 2]));
  }
  throw new ShapeError(`dropout: x must have rank 2 or 3, got shape [${x.shape.join(", ")}]`);
}

/**
 * The seed of micro-batch `index` of a run seeded `runSeed`: murmur3's 32-bit finalizer over both, reduced below
 * the hash modulus. A pure function of the data position, so checkpoints need no dropout state.
 */
export function dropoutSeed(runSeed: number, index: number): number {
  let h = Math.imul(runSeed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) % DROPOUT_HASH_PRIME;
}
