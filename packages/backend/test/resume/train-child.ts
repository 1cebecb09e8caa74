// A training run in its own process, for the SIGKILL test: `node … train-child.ts <spec.json>`.
import { readFile } from "node:fs/promises";
import { parseLoraConfig } from "@lora-litee/lora";
import { loadHfModel } from "../../src/models/hf-model.js";
import type { EncodedExamples } from "../../src/train/examples.js";
import type { TrainOptions } from "../../src/train/train-options.js";
import { trainLora } from "../../src/train/trainer.js";

/** What the parent test passes. */
export interface ChildSpec {
  modelDir: string;
  lora: Record<string, unknown>;
  examples: { sequences: number[][]; labels: number[] };
  options: Omit<TrainOptions, "train" | "log">;
  /** Milliseconds each step is held up, so the parent can kill the run in the middle. */
  stepDelayMs: number;
}

export function examplesFrom(spec: ChildSpec["examples"]): EncodedExamples {
  const sequences = spec.sequences.map((s) => Int32Array.from(s));
  return {
    sequences,
    labels: Int32Array.from(spec.labels),
    lengths: Int32Array.from(sequences, (s) => s.length),
    sourceRows: Int32Array.from(sequences, (_, i) => i),
    swapped: new Uint8Array(sequences.length),
    truncatedTokens: 0,
    truncatedExamples: 0,
  };
}

if (process.argv[2]) {
  const spec = JSON.parse(await readFile(process.argv[2], "utf8")) as ChildSpec;
  const model = await loadHfModel(spec.modelDir);
  const hold = (ms: number) => {
    const until = Date.now() + ms;
    while (Date.now() < until);
  };
  await trainLora(model, parseLoraConfig(spec.lora), {
    ...spec.options,
    train: examplesFrom(spec.examples),
    log: { write: (event) => event.event === "step" && hold(spec.stepDelayMs), close: () => {} },
  });
}
