import { join } from "node:path";
import { Rng, parseLoraConfig } from "@lora-litee/lora";
import { saveAdapter } from "@lora-litee/lora/node";
import * as ort from "onnxruntime-node";
import { benchShape, ensureBenchFixture, type BenchShape, type BenchShapeOptions } from "../models/bench-fixture.js";
import { architectureOf } from "../models/architecture-of.js";
import { loadHfModel } from "../models/hf-model.js";
import { planLora } from "../models/lora-targets.js";
import { initialParameters, toAdapter } from "../train/lora-parameters.js";
import { EXPORTED_MODEL_FILE, exportOnnx } from "./merged-onnx.js";

/** Options of `benchInfer`. Sizes default to SmolLM2-135M's shape. */
export interface BenchInferOptions extends BenchShapeOptions {
  /** `vocab_size` (at least the tokenizer's). Defaults to `49152`. */
  readonly vocabSize?: number;
  /** Timed forwards. Defaults to `3`. */
  readonly runs?: number;
  /** Untimed forwards first. Defaults to `1`. */
  readonly warmupRuns?: number;
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
  readonly shape: BenchShape;
}

/**
 * Times batch prediction as it is served: a random adapter merged into a random Llama-shaped model by `exportOnnx`,
 * the exported file run by a plain onnxruntime session on cpu with full-length rows.
 */
export async function benchInfer(options: BenchInferOptions): Promise<BenchInferResult> {
  const shape = benchShape(options);
  const modelDir = await ensureBenchFixture(options, shape, options.vocabSize ?? 49152);

  const exportStart = performance.now();
  const model = await loadHfModel(modelDir);
  const lora = parseLoraConfig({ r: shape.rank, lora_alpha: 2 * shape.rank, target_modules: "all-linear", task_type: "SEQ_CLS" });
  const plan = planLora(architectureOf(model), lora);
  const rng = new Rng(2);
  const params = initialParameters(plan, lora, model.weights, rng);
  for (const [key, value] of params) if (key.endsWith("lora_B.weight")) rng.fillNormal(value, 0.01);
  await saveAdapter(join(options.dir, "adapter"), toAdapter(plan, lora, params));
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
