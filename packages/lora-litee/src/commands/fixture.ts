import { writeBertFixture, writeFixture, writeGemma2Fixture } from "@lora-litee/backend";
import { InvalidArgumentError, Option, type Command } from "commander";

function positiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected an integer ≥ 1, got "${value}"`);
  return n;
}

function seedValue(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n > 0xffffffff) throw new InvalidArgumentError(`expected an integer in [0, 4294967295], got "${value}"`);
  return n;
}

interface FixtureCommandOptions {
  arch: "llama" | "bert" | "gemma2";
  tokenizer: string;
  hidden: number;
  layers: number;
  heads: number;
  kvHeads: number;
  intermediate: number;
  seed: number;
  dtype: "F32" | "F16" | "BF16";
}

/** `litee fixture <dir>`: a tiny random model in the Hugging Face layout, for offline tests and benchmarks. */
export function registerFixtureCommands(program: Command): void {
  program
    .command("fixture <dir>")
    .description("write a tiny random model (config.json, model.safetensors with HF key names, tokenizer files) into <dir>")
    .addOption(new Option("--arch <arch>", "architecture (bert: BERT/MiniLM encoder, e.g. with the bert-minilm tokenizer; gemma2: Gemma-2 with sliding and global layers)").choices(["llama", "bert", "gemma2"]).makeOptionMandatory())
    .requiredOption("--tokenizer <dir>", "folder with tokenizer.json; sets the vocabulary size and the pad/bos/eos ids")
    .option("--hidden <n>", "hidden_size", positiveInt, 64)
    .option("--layers <n>", "num_hidden_layers", positiveInt, 2)
    .option("--heads <n>", "num_attention_heads", positiveInt, 4)
    .option("--kv-heads <n>", "num_key_value_heads (divides --heads; llama and gemma2)", positiveInt, 2)
    .option("--intermediate <n>", "intermediate_size of the MLP", positiveInt, 128)
    .option("--seed <n>", "seed of the random weights", seedValue, 0)
    .addOption(new Option("--dtype <dtype>", "storage dtype of the weights").choices(["F32", "F16", "BF16"]).default("F32"))
    .action(async (dir: string, options: FixtureCommandOptions) => {
      if (options.arch !== "llama") return writeOtherArch(dir, options);
      const written = await writeFixture(dir, {
        arch: options.arch,
        tokenizerDir: options.tokenizer,
        hidden: options.hidden,
        layers: options.layers,
        heads: options.heads,
        kvHeads: options.kvHeads,
        intermediate: options.intermediate,
        seed: options.seed,
        dtype: options.dtype,
      });
      const { config, specials } = written;
      process.stdout.write(
        `${dir}: ${config.modelType} ${config.numHiddenLayers} layers, hidden ${config.hiddenSize}, ` +
          `${config.numAttentionHeads} heads / ${config.numKeyValueHeads} KV, vocab ${config.vocabSize}, ` +
          `${written.parameters.toLocaleString("en-US")} parameters (${options.dtype}); pad id ${specials.padTokenId} (${specials.padSource})\n` +
          `  files: ${written.files.join(", ")}\n`,
      );
    });
}

/** The encoder and Gemma-2 fixtures: same sizes, each family's own config and keys. */
async function writeOtherArch(dir: string, options: FixtureCommandOptions): Promise<void> {
  const sizes = { tokenizerDir: options.tokenizer, hidden: options.hidden, layers: options.layers, heads: options.heads, intermediate: options.intermediate, seed: options.seed, dtype: options.dtype };
  const written =
    options.arch === "bert"
      ? await writeBertFixture(dir, sizes)
      : await writeGemma2Fixture(dir, { ...sizes, kvHeads: options.kvHeads, ...(options.hidden % options.heads === 0 ? { headDim: options.hidden / options.heads } : {}) });
  const { config } = written;
  process.stdout.write(
    `${dir}: ${config.modelType} ${config.numHiddenLayers} layers, hidden ${config.hiddenSize}, ${config.numAttentionHeads} heads, ` +
      `vocab ${config.vocabSize}, ${written.parameters.toLocaleString("en-US")} parameters (${options.dtype}); pad id ${config.padTokenId}\n` +
      `  files: ${written.files.join(", ")}\n`,
  );
}
