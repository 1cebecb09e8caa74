import { access } from "node:fs/promises";
import { join } from "node:path";
import { Rng, parseLoraConfig } from "@lora-litee/lora";
import { saveAdapter } from "@lora-litee/lora/node";
import * as ort from "onnxruntime-node";
import { writeFixture } from "../models/fixture.js";
import { loadHfModel } from "../models/hf-model.js";
import { planLora } from "../models/llama/lora-targets.js";
import { initialParameters, toAdapter } from "../train/lora-parameters.js";
import { EXPORTED_MODEL_FILE, exportOnnx } from "./merged-onnx.js";

/** Options of `benchInfer`. Sizes default to SmolLM2-135M's shape. */
export interface BenchInferOptions {
  /** Work folder: fixture in `<dir>/model` (reused when present), adapter in `<dir>/adapter`, export in `<dir>/export`. */
  readonly dir: string;
  /** Tokenizer folder for the fixture. */
  readonly tokenizerDir: string;
  /** `hidden_size`. Defaults to `576`. */
  readonly hidden?: number;
  /** `num_hidden_layers`. Defaults to `30`. */
  readonly layers?: number;
  /** `num_attention_heads`. Defaults to `9`. */
  readonly heads?: number;
  /** `num_key_value_heads`. Defaults to `3`. */
  readonly kvHeads?: number;
  /** `intermediate_size`. Defaults to `1536`. */
  readonly intermediate?: number;
  /** `vocab_size` (at least the tokenizer's). Defaults to `49152`. */
  readonly vocabSize?: number;
  /** Tokens per row. Defaults to `512`. */
  readonly seq?: number;
  /** Rows per forward. Defaults to `4`. */
  readonly batchSize?: number;
  /** Timed forwards. Defaults to `3`. */
  readonly runs?: number;
  /** Untimed forwards first. Defaults to `1`. */
  readonly warmupRuns?: number;
  /** Rank of the all-linear adapter that is merged before export. Defaults to `16`. */
  readonly rank?: number;
  /** Threads per op; 0 lets onnxruntime use every core. Defaults to `0`. */
  readonly threads?: number;
  /** Export option `quantize` (`"int8"`: dynamic int8 MatMuls). Defaults to `null`. */
  readonly quantize?: "int8" | null;
}

/** What `benchInfer` measured. */
export interface BenchInferResult {
  /** Tokens per second of batch prediction (median timed forward). */
  readonly tokensPerSecond: number;
  /** Seconds of each timed forward. */
  readonly runSeconds: readonly number[];
  /** Tokens in one forward. */
  readonly tokensPerRun: number;
  /** Seconds to merge and export the ONNX folder. */
  readonly exportSeconds: number;
  /** Seconds to create the onnxruntime session from the exported file. */
  readonly sessionSeconds: number;
  /** Sizes used. */
  readonly shape: { hidden: number; layers: number; heads: number; kvHeads: number; intermediate: number; seq: number; batchSize: number; rank: number };
}

/**
 * Times batch prediction as it is served: a random adapter merged into a random Llama-shaped model by `exportOnnx`,
 * the exported file run by a plain onnxruntime session on cpu with full-length rows.
 */
export async function benchInfer(options: BenchInferOptions): Promise<BenchInferResult> {
  const shape = {
    hidden: options.hidden ?? 576,
    layers: options.layers ?? 30,
    heads: options.heads ?? 9,
    kvHeads: options.kvHeads ?? 3,
    intermediate: options.intermediate ?? 1536,
    seq: options.seq ?? 512,
    batchSize: options.batchSize ?? 4,
    rank: options.rank ?? 16,
  };
  const modelDir = join(options.dir, "model");
  const exists = await access(join(modelDir, "model.safetensors")).then(() => true, () => false);
  if (!exists) await writeFixture(modelDir, { tokenizerDir: options.tokenizerDir, ...shape, vocabSize: options.vocabSize ?? 49152, seed: 0 });

  const exportStart = performance.now();
  const model = await loadHfModel(modelDir);
  const lora = parseLoraConfig({ r: shape.rank, lora_alpha: 2 * shape.rank, target_modules: "all-linear", task_type: "SEQ_CLS" });
  const plan = planLora(model.config, lora);
  const rng = new Rng(2);
  const params = initialParameters(plan, lora, model.weights, model.config.labels.length, shape.hidden, rng);
  for (const [key, value] of params) if (key.endsWith("lora_B.weight")) rng.fillNormal(value, 0.01);
  await saveAdapter(join(options.dir, "adapter"), toAdapter(plan, lora, params, model.config.labels.length, shape.hidden));
  await exportOnnx(modelDir, join(options.dir, "adapter"), join(options.dir, "export"), { quantize: options.quantize ?? null });
  const exportSeconds = (performance.now() - exportStart) / 1000;

  const sessionStart = performance.now();
  const session = await ort.InferenceSession.create(join(options.dir, "export", EXPORTED_MODEL_FILE), {
    intraOpNumThreads: options.threads ?? 0,
    graphOptimizationLevel: "all",
  });
  const sessionSeconds = (performance.now() - sessionStart) / 1000;
  try {
    const count = shape.batchSize * shape.seq;
    const ids = new BigInt64Array(count);
    for (let i = 0; i < count; i++) ids[i] = BigInt(3 + (rng.nextUint32() % (model.config.vocabSize - 3)));
    const feeds = {
      input_ids: new ort.Tensor("int64", ids, [shape.batchSize, shape.seq]),
      attention_mask: new ort.Tensor("int64", new BigInt64Array(count).fill(1n), [shape.batchSize, shape.seq]),
    };
    const runSeconds: number[] = [];
    const total = (options.warmupRuns ?? 1) + (options.runs ?? 3);
    for (let run = 0; run < total; run++) {
      const t = performance.now();
      await session.run(feeds);
      if (run >= (options.warmupRuns ?? 1)) runSeconds.push((performance.now() - t) / 1000);
    }
    const sorted = [...runSeconds].sort((a, b) => a - b);
    return { tokensPerSecond: count / sorted[Math.floor(sorted.length / 2)], runSeconds, tokensPerRun: count, exportSeconds, sessionSeconds, shape };
  } finally {
    await session.release();
  }
}
