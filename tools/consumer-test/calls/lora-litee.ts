// lora-litee from its tarball: the meta-package re-exports the packages' APIs; load the bundled sample through it.
import assert from "node:assert/strict";
import { loadArena } from "lora-litee";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const sample = require.resolve("@lora-litee/data/package.json").replace(/package\.json$/, "sample/arena-sample.csv");
const { table } = await loadArena(readFileSync(sample));
assert.equal(table.numRows(), 200);
console.log(`lora-litee: loadArena via the meta-package read ${table.numRows()} rows`);
