// `pnpm --filter @lora-litee/backend bench:train-step [--json] [--key=value …]`: one JSON line per run.
import { benchTrainStep, type TrainStepBenchOptions } from "../src/bench/train-step.js";

const options: Record<string, number | string | boolean> = {};
for (const arg of process.argv.slice(2)) {
  const m = /^--(\w+)=(.+)$/.exec(arg);
  if (m) options[m[1]] = m[1] === "device" || m[1] === "mode" ? m[2] : m[1] === "spinning" ? m[2] === "1" || m[2] === "true" : Number(m[2]);
}
const result = await benchTrainStep(options as TrainStepBenchOptions);
console.log(JSON.stringify(result));
