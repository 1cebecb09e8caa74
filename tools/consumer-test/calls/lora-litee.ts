// lora-litee from its tarball: the meta-package re-exports each package as a namespace; load the bundled sample
// through `data` and merge a LoRA pair through `lora`.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { data, lora } from "lora-litee";

const require = createRequire(import.meta.url);
const sample = require.resolve("@lora-litee/data/package.json").replace(/package\.json$/, "sample/arena-sample.csv");
const { table } = await data.loadArena(readFileSync(sample));
assert.equal(table.numRows(), 200);
const W = new Float32Array(2);
lora.merge(W, { inFeatures: 1, outFeatures: 2, r: 1, A: new Float32Array([2]), B: new Float32Array([1, 3]), magnitude: null }, 1);
assert.deepEqual(Array.from(W), [2, 6]);
console.log(`lora-litee: data.loadArena read ${table.numRows()} rows; lora.merge gave [${Array.from(W).join(", ")}]`);
