import { EXPORTED_MODEL_FILE, exportOnnx } from "@lora-litee/backend";
import { Option, type Command } from "commander";

interface ExportCommandOptions {
  externalData: boolean;
  quantize?: "int8";
}

/** `litee export <model-dir> <adapter-dir> <out>`: the adapter merged into the model as one ONNX inference graph. */
export function registerExportCommands(program: Command): void {
  program
    .command("export <model-dir> <adapter-dir> <out>")
    .description(
      "merge a PEFT adapter into its Hugging Face model and write <out>/onnx/model.onnx (int64 input_ids, attention_mask → logits), config.json and the tokenizer files; plain onnxruntime runs it",
    )
    .option("--external-data", "write the weights to onnx/model.onnx_data even below 1 GiB (always done above)", false)
    .addOption(new Option("--quantize <type>", "store MatMul weights as int8 and quantize activations at run time (smaller, faster on cpu)").choices(["int8"]))
    .addHelpText("after", "\nExample:\n  litee export ./smollm2 ./run/adapter ./served\n")
    .action(async (modelDir: string, adapterDir: string, out: string, options: ExportCommandOptions) => {
      const result = await exportOnnx(modelDir, adapterDir, out, { merge: true, externalData: options.externalData ? true : "auto", quantize: options.quantize ?? null });
      const mib = (result.weightBytes / 2 ** 20).toFixed(1);
      const int8 = result.quantizedMatMuls ? `, ${result.quantizedMatMuls} MatMul weights as int8` : "";
      process.stdout.write(`${out}/${EXPORTED_MODEL_FILE}: ${result.mergedLayers} LoRA layers merged, ${mib} MiB of float32 weights${int8}\n  files: ${result.files.join(", ")}\n`);
    });
}
