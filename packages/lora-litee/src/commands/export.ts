import { EXPORTED_MODEL_FILE, exportOnnx } from "@lora-litee/backend";
import { Option, type Command } from "commander";

interface ExportCommandOptions {
  externalData: boolean;
  quantize?: "int8";
}

/**
 * `litee export <model-dir> [adapter-dir] <out>`: the adapter merged into the model as one ONNX inference graph; with
 * two folders only, the model (with its own trained head) is exported as it is.
 */
export function registerExportCommands(program: Command): void {
  program
    .command("export <model-dir> <adapter-or-out> [out]")
    .description(
      "merge a PEFT adapter into its Hugging Face model (llama, mistral, qwen2, gemma2, bert) and write <out>/onnx/model.onnx (int64 input_ids, attention_mask → logits), config.json and the tokenizer files; plain onnxruntime runs it. Without an adapter folder the model is exported as it is (it needs its own classification head)",
    )
    .option("--external-data", "write the weights to onnx/model.onnx_data even below 1 GiB (always done above)", false)
    .addOption(new Option("--quantize <type>", "store MatMul weights as int8 and quantize activations at run time (smaller, faster on cpu)").choices(["int8"]))
    .addHelpText("after", "\nExamples:\n  litee export ./smollm2 ./run/adapter ./served\n  litee export ./fine-tuned-classifier ./served\n")
    .action(async (modelDir: string, second: string, third: string | undefined, options: ExportCommandOptions) => {
      const [adapterDir, out] = third === undefined ? [null, second] : [second, third];
      const result = await exportOnnx(modelDir, adapterDir, out, { merge: true, externalData: options.externalData ? true : "auto", quantize: options.quantize ?? null });
      const mib = (result.weightBytes / 2 ** 20).toFixed(1);
      const int8 = result.quantizedMatMuls ? `, ${result.quantizedMatMuls} MatMul weights as int8` : "";
      process.stdout.write(`${out}/${EXPORTED_MODEL_FILE}: ${result.mergedLayers} LoRA layers merged, ${mib} MiB of float32 weights${int8}\n  files: ${result.files.join(", ")}\n`);
    });
}
