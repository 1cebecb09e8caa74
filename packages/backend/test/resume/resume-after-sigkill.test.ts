import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseLoraConfig } from "@lora-litee/lora";
import { afterAll, beforeAll, expect, it } from "vitest";
import { writeFixture } from "../../src/models/fixture.js";
import { loadHfModel } from "../../src/models/hf-model.js";
import { readLatestCheckpoint } from "../../src/train/checkpoint.js";
import { trainLora } from "../../src/train/trainer.js";
import { examplesFrom, type ChildSpec } from "./train-child.js";

const here = fileURLToPath(new URL(".", import.meta.url));
const shared = fileURLToPath(new URL("../../../../../shared/", import.meta.url));
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "sigkill-"));
  await writeFixture(join(root, "model"), { tokenizerDir: join(shared, "tokenizers/llama"), hidden: 32, layers: 2, heads: 4, kvHeads: 2, intermediate: 64, seed: 2 });
});
afterAll(() => rm(root, { recursive: true, force: true }));

it("resumes a run killed with SIGKILL to an adapter bit-identical to an uninterrupted run", async () => {
  // 64 rows of 6–21 random ids with labels from their first id: 16 steps of 4 rows per epoch, 2 epochs
  const sequences = Array.from({ length: 64 }, (_, i) => Array.from({ length: 6 + ((i * 7) % 16) }, (_, j) => 3 + ((i * 131 + j * 17) % 900)));
  const spec: ChildSpec = {
    modelDir: join(root, "model"),
    lora: { r: 4, lora_alpha: 8, target_modules: ["q_proj", "v_proj", "down_proj"], task_type: "SEQ_CLS", lora_dropout: 0.1 },
    examples: { sequences, labels: sequences.map((s) => s[0] % 3) },
    options: { runDir: join(root, "killed"), epochs: 2, batchSize: 4, gradientAccumulation: 2, learningRate: 5e-3, seed: 9, checkpointEvery: 1, threads: 1 },
    stepDelayMs: 150,
  };
  const specPath = join(root, "spec.json");
  await writeFile(specPath, JSON.stringify(spec));

  const child = spawn(process.execPath, ["--experimental-transform-types", "--no-warnings", "--import", join(here, "ts-hooks.mjs"), join(here, "train-child.ts"), specPath], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += String(chunk)));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on("exit", (code, signal) => resolve(signal ?? code)));
  // kill it mid-run, whatever it is doing at that instant (stepping, or writing checkpoint 5)
  for (;;) {
    const latest = await readFile(join(spec.options.runDir, "latest.json"), "utf8").then((t) => JSON.parse(t).step as number, () => -1);
    if (latest >= 5) break;
    if (child.exitCode !== null) throw new Error(`child exited early (${child.exitCode}): ${stderr}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  child.kill("SIGKILL");
  expect(await exited).toBe("SIGKILL");
  const survivor = await readLatestCheckpoint(spec.options.runDir);
  expect(survivor!.step).toBeGreaterThanOrEqual(5);
  expect(survivor!.step).toBeLessThan(16);

  const model = await loadHfModel(spec.modelDir);
  const lora = parseLoraConfig(spec.lora);
  const train = examplesFrom(spec.examples);
  const resumed = await trainLora(model, lora, { ...spec.options, train, resume: true });
  const whole = await trainLora(model, lora, { ...spec.options, train, runDir: join(root, "whole") });
  expect(resumed.steps).toBe(16);
  const bytes = (dir: string | null) => readFile(join(dir!, "adapter_model.safetensors"));
  expect((await bytes(resumed.adapterDir)).equals(await bytes(whole.adapterDir))).toBe(true);
}, 120_000);
