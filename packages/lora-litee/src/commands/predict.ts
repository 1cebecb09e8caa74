import { join } from "node:path";
import { encodeExamples, loadHfModel, predictProbabilities, type Device } from "@lora-litee/backend";
import { loadDatasetFile, loadTokenizer } from "@lora-litee/data/node";
import { writePredictionsCsv } from "@lora-litee/ensemble/node";
import { loadAdapter } from "@lora-litee/lora/node";
import { Option, type Command } from "commander";
import { intAtLeast } from "./flags.js";

interface PredictCliOptions {
  model: string;
  adapter: string;
  data: string;
  out: string;
  tta: "none" | "swap";
  maxLength: number;
  batch: number;
  device: Device;
  threads: number;
}

/** `litee predict`: batch inference with a LoRA adapter, written as a Kaggle submission CSV. */
export function registerPredictCommands(program: Command): void {
  program
    .command("predict")
    .description("predict [A, B, tie] probabilities with a model + LoRA adapter; writes id,winner_model_a,winner_model_b,winner_tie")
    .requiredOption("--model <dir>", "the Hugging Face model folder the adapter was trained on")
    .requiredOption("--adapter <dir>", "adapter folder in PEFT's layout (adapter_config.json + adapter_model.safetensors)")
    .requiredOption("--data <file>", "pairs to predict (arena test or train CSV, HH-RLHF or pair JSONL)")
    .requiredOption("--out <csv>", "where to write the predictions")
    .addOption(new Option("--tta <mode>", "test-time augmentation: swap averages each pair with its A/B-swapped copy").choices(["none", "swap"]).default("none"))
    .option("--max-length <n>", "token budget per pair (use the training value)", intAtLeast(8), 512)
    .option("--batch <n>", "pairs per forward pass", intAtLeast(1), 16)
    .addOption(new Option("--device <device>", "execution provider").choices(["cpu", "webgpu", "cuda"]).default("cpu"))
    .option("--threads <n>", "threads per op (0 lets onnxruntime pick)", intAtLeast(0), 0)
    .addHelpText("after", "\nExamples:\n  litee predict --model ./SmolLM2-135M --adapter runs/smol/adapter --data test.csv --out submission.csv --tta swap\n")
    .action(async (options: PredictCliOptions) => {
      const [model, tokenizer, { table }, adapter] = await Promise.all([
        loadHfModel(options.model),
        loadTokenizer(options.model),
        loadDatasetFile(options.data),
        loadAdapter(options.adapter, { model: join(options.model, "config.json") }),
      ]);
      const examples = encodeExamples(table, tokenizer, { maxLength: options.maxLength, swap: options.tta === "swap", requireLabels: false });
      const probabilities = await predictProbabilities(model, adapter, examples, { batchSize: options.batch, device: options.device, threads: options.threads });
      await writePredictionsCsv(options.out, table.array("id") as string[], probabilities);
      process.stdout.write(`${table.numRows()} pairs predicted${options.tta === "swap" ? " (swap-averaged)" : ""} → ${options.out}\n`);
    });
}
