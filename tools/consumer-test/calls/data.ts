// @lora-litee/data from its tarball: load the bundled 200-row arena sample through the Node entry.
import assert from "node:assert/strict";
import { arenaSamplePath, loadDatasetFile } from "@lora-litee/data/node";

const { table, problems, format } = await loadDatasetFile(arenaSamplePath());
assert.equal(format, "kaggle");
assert.equal(table.numRows(), 200);
console.log(`data: ${table.numRows()} rows from the bundled sample (${format}), report ${Object.keys(problems).length} fields`);
