// @lora-litee/bench from its tarball: summarise five timings; the median of 10, 10, 11, 12, 13 ms is 11 ms.
import assert from "node:assert/strict";
import { summarise } from "@lora-litee/bench";

const timing = summarise([12, 10, 11, 13, 10]);
assert.equal(timing.medianMs, 11);
assert.equal(timing.minMs, 10);
assert.equal(timing.maxMs, 13);
console.log(`bench summarise: median ${timing.medianMs} ms, spread ${timing.spread.toFixed(3)}`);
