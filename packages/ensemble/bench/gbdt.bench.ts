/**
 * GBDT training speed on 57k × 40 synthetic rows; prints one JSON object.
 * Run: pnpm --filter @lora-litee/ensemble bench:gbdt [-- rows features rounds]
 */
import { runGbdtBenchmark } from "../src/index.js";

const [rows, features, rounds] = process.argv.slice(2).map(Number);
const result = runGbdtBenchmark({ rows: rows || undefined, features: features || undefined, rounds: rounds || undefined });
console.log(JSON.stringify({ benchmark: "gbdt-train", node: process.version, ...result }, null, 2));
