// `pnpm --filter @lora-litee/backend bench:infer [--key=value …]`: one JSON line (tokens/s of batch prediction).
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { benchInfer, type BenchInferOptions } from "../src/export/benchmark-infer.js";

const options: Record<string, number | string> = {};
for (const arg of process.argv.slice(2)) {
  const m = /^--(\w+)=(.+)$/.exec(arg);
  if (m) options[m[1]] = m[1] === "dir" || m[1] === "tokenizerDir" || m[1] === "quantize" ? m[2] : Number(m[2]);
}
const dir = (options.dir as string | undefined) ?? (await mkdtemp(join(tmpdir(), "bench-infer-")));
const tokenizerDir = (options.tokenizerDir as string | undefined) ?? fileURLToPath(new URL("../../../../../shared/tokenizers/llama/", import.meta.url));
const result = await benchInfer({ ...(options as Partial<BenchInferOptions>), dir, tokenizerDir });
console.log(JSON.stringify({ ...result, modelDir: join(dir, "model") }));
