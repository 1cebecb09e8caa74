import { access } from "node:fs/promises";
import { join } from "node:path";
import { writeFixture } from "./fixture.js";

/** Sizes of a benchmark's random Llama-shaped fixture; each defaults to SmolLM2-135M's. */
export interface BenchShapeOptions {
  /** Work folder: the fixture goes to `<dir>/model` (reused when present), the benchmark's own files beside it. */
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
  /** Tokens per row. Defaults to `512`. */
  readonly seq?: number;
  /** Rows per step or forward. Defaults to `4`. */
  readonly batchSize?: number;
  /** LoRA rank on all linear layers. Defaults to `16`. */
  readonly rank?: number;
}

/** The sizes a benchmark ran with, every default filled in. */
export interface BenchShape {
  /** `hidden_size`. */
  readonly hidden: number;
  /** `num_hidden_layers`. */
  readonly layers: number;
  /** `num_attention_heads`. */
  readonly heads: number;
  /** `num_key_value_heads`. */
  readonly kvHeads: number;
  /** `intermediate_size`. */
  readonly intermediate: number;
  /** Tokens per row. */
  readonly seq: number;
  /** Rows per step or forward. */
  readonly batchSize: number;
  /** LoRA rank on all linear layers. */
  readonly rank: number;
}

/** Fills in the SmolLM2-135M defaults. */
export function benchShape(options: BenchShapeOptions): BenchShape {
  return {
    hidden: options.hidden ?? 576,
    layers: options.layers ?? 30,
    heads: options.heads ?? 9,
    kvHeads: options.kvHeads ?? 3,
    intermediate: options.intermediate ?? 1536,
    seq: options.seq ?? 512,
    batchSize: options.batchSize ?? 4,
    rank: options.rank ?? 16,
  };
}

/** Writes the fixture into `<dir>/model` unless one is there already; returns that folder. */
export async function ensureBenchFixture(options: BenchShapeOptions, shape: BenchShape, vocabSize: number | undefined): Promise<string> {
  const modelDir = join(options.dir, "model");
  const exists = await access(join(modelDir, "model.safetensors")).then(() => true, () => false);
  if (!exists) await writeFixture(modelDir, { tokenizerDir: options.tokenizerDir, ...shape, seed: 0, ...(vocabSize ? { vocabSize } : {}) });
  return modelDir;
}
