// @lora-litee/lora from its tarball: merge a rank-1 LoRA pair into a 2×3 weight and unmerge it again.
// W + s·B·A with A = [1, 2, 3], B = [1, −1], s = 0.5 is computed by hand below.
import assert from "node:assert/strict";
import { merge, unmerge } from "@lora-litee/lora";

const W = new Float32Array(6);
const lora = { inFeatures: 3, outFeatures: 2, r: 1, A: new Float32Array([1, 2, 3]), B: new Float32Array([1, -1]), magnitude: null };
const record = merge(W, lora, 0.5);
assert.deepEqual(Array.from(W), [0.5, 1, 1.5, -0.5, -1, -1.5]);
unmerge(W, lora, 0.5, record);
assert.deepEqual(Array.from(W), [0, 0, 0, 0, 0, 0]);
console.log("lora: merge then unmerge of a rank-1 pair restores W exactly");
