import { Rng } from "@lora-litee/lora";
import { parseLlamaConfig, type LlamaConfig } from "./llama/config.js";
import { llamaWeightShapes } from "./llama/weights.js";
import { readTokenizerSpecials, type TokenizerSpecials } from "./tokenizer-files.js";
import { FixtureOptionError, commonConfigFields, fixtureSize, writeFixtureFolder, type FixtureSizeOptions } from "./fixture-folder.js";

/**
 * Tiny randomly initialised models in the Hugging Face layout, for tests and benchmarks that cannot download
 * weights: `config.json` with transformers' field names, `model.safetensors` with HF key names, and the tokenizer
 * files — the layout transformers' `AutoModelForSequenceClassification.from_pretrained(dir)` reads (not checked
 * against transformers itself: neither it nor torch can be installed on these machines).
 */

/** Options of `writeFixture`. */
export interface FixtureOptions extends FixtureSizeOptions {
  /** Architecture to write; only `"llama"` for now. Defaults to `"llama"`. */
  readonly arch?: "llama";
  /** `num_key_value_heads`. Defaults to `2`. */
  readonly kvHeads?: number;
  /** `rope_theta`. Defaults to `10000`. */
  readonly ropeTheta?: number;
  /** `vocab_size`; must cover the tokenizer's ids. Defaults to the tokenizer's vocabulary size. */
  readonly vocabSize?: number;
  /** Std of the noise added to the RMSNorm weights (HF initialises them to exactly 1, which hides a norm that ignores its weight). Defaults to `0`. */
  readonly normNoise?: number;
}

/** What `writeFixture` wrote. */
export interface WrittenFixture {
  /** The parsed config, as a loader will see it. */
  readonly config: LlamaConfig;
  /** The special ids taken from the tokenizer. */
  readonly specials: TokenizerSpecials;
  /** Files written into the folder. */
  readonly files: readonly string[];
  /** Number of parameters. */
  readonly parameters: number;
}

/**
 * Writes a random `LlamaForSequenceClassification` into `dir` (created if needed). Init follows HF's
 * `_init_weights`: Linear and embedding weights N(0, 0.02²), the embedding row of the pad id zero, RMSNorm weights 1.
 */
export async function writeFixture(dir: string, options: FixtureOptions): Promise<WrittenFixture> {
  if ((options.arch ?? "llama") !== "llama") throw new FixtureOptionError(`arch must be "llama", got ${JSON.stringify(options.arch)}`);
  const specials = await readTokenizerSpecials(options.tokenizerDir);
  const vocabSize = options.vocabSize ?? specials.vocabSize;
  if (vocabSize < specials.vocabSize) {
    throw new FixtureOptionError(`vocabSize ${vocabSize} is smaller than the tokenizer's ${specials.vocabSize} ids (${options.tokenizerDir})`);
  }
  const dtype = options.dtype ?? "F32";
  const json = fixtureConfigJson({ ...options, vocabSize }, specials);
  // Parsing our own output validates the sizes once, with the same errors a user's config.json would get.
  const config = parseLlamaConfig(json, "fixture options");

  const rng = new Rng(options.seed ?? 0);
  const normNoise = options.normNoise ?? 0;
  const { files, parameters } = await writeFixtureFolder(dir, json, options.tokenizerDir, {
    shapes: llamaWeightShapes(config),
    init: (name, values) => {
      if (name.endsWith("norm.weight")) {
        for (let i = 0; i < values.length; i++) values[i] = 1 + normNoise * rng.nextNormal();
      } else if (!name.endsWith(".bias")) {
        rng.fillNormal(values, 0.02);
      }
    },
    embedding: { key: "model.embed_tokens.weight", padTokenId: config.padTokenId, hidden: config.hiddenSize },
    dtype,
  });
  return { config, specials, files, parameters };
}

/** The config.json transformers' LlamaConfig would write for these sizes. */
function fixtureConfigJson(options: FixtureOptions & { vocabSize: number }, specials: TokenizerSpecials): Record<string, unknown> {
  const common = commonConfigFields(options);
  const [hidden, heads] = [common.hidden_size as number, common.num_attention_heads as number];
  return {
    ...common,
    architectures: ["LlamaForSequenceClassification"],
    attention_bias: false,
    attention_dropout: 0.0,
    bos_token_id: specials.bosTokenId,
    eos_token_id: specials.eosTokenId,
    head_dim: hidden % heads === 0 ? hidden / heads : undefined,
    hidden_act: "silu",
    initializer_range: 0.02,
    max_position_embeddings: 2048,
    mlp_bias: false,
    model_type: "llama",
    num_key_value_heads: fixtureSize("kvHeads", options.kvHeads ?? 2),
    pad_token_id: specials.padTokenId,
    pretraining_tp: 1,
    rms_norm_eps: 1e-5,
    rope_scaling: null,
    rope_theta: options.ropeTheta ?? 10000,
    tie_word_embeddings: false,
    use_cache: true,
    vocab_size: options.vocabSize,
  };
}
