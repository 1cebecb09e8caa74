import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { createTrainingLog, encodeExamples, loadHfModel, parseTeacherCsv, teacherTargets, trainKFold, trainLora, type Device, type LrDecay } from "@lora-litee/backend";
import { loadDatasetFile, loadTokenizer } from "@lora-litee/data/node";
import { writePredictionsCsv } from "@lora-litee/ensemble/node";
import { averageAdapters, parseLoraConfig } from "@lora-litee/lora";
import { loadAdapter, saveAdapter, writeFileAtomic } from "@lora-litee/lora/node";
import { Option, type Command } from "commander";
import { float, intAtLeast, targetModules } from "./flags.js";

interface TrainCliOptions {
  model: string;
  data: string;
  out: string;
  eval?: string;
  rank: number;
  alpha?: number;
  dropout: number;
  target: string;
  layers?: string;
  rslora: boolean;
  dora: boolean;
  maxLength: number;
  epochs: number;
  lr: number;
  batch: number;
  gradAccum: number;
  warmup: number;
  decay: LrDecay;
  weightDecay: number;
  swap: boolean;
  folds?: number;
  device: Device;
  threads: number;
  seed: number;
  resume: boolean;
  evalEvery: number;
  checkpointEvery: number;
  teacher?: string;
  distillWeight: number;
}

/** `litee train`: LoRA fine-tuning of a Hugging Face model folder on arena pairs, single run or k-fold. */
export function registerTrainCommands(program: Command): void {
  program
    .command("train")
    .description("LoRA fine-tuning (3-way head trained in full) on labelled pairs; writes <out>/adapter (PEFT layout), <out>/metrics.json and <out>/checkpoints")
    .requiredOption("--model <dir>", "Hugging Face model folder: llama, mistral, qwen2, gemma2 or bert (config.json, model.safetensors or shards, tokenizer files)")
    .requiredOption("--data <file>", "labelled training pairs (Kaggle arena CSV, HH-RLHF or pair JSONL)")
    .requiredOption("--out <dir>", "run folder")
    .option("--eval <file>", "labelled held-out pairs, evaluated every --eval-every steps and at the end")
    .option("--rank <r>", "LoRA rank", intAtLeast(1), 16)
    .option("--alpha <a>", "LoRA alpha (default: 2 × rank)", float)
    .option("--dropout <p>", "LoRA dropout", float, 0)
    .option("--target <modules>", "comma-separated module names, or all-linear", targetModules, "all-linear")
    .option("--layers <list>", "only these layer indices (comma-separated)")
    .option("--rslora", "scale by alpha/√r (rsLoRA)", false)
    .option("--dora", "weight-decomposed LoRA (DoRA)", false)
    .option("--max-length <n>", "token budget per pair (prompt 20% / A 40% / B 40%, last turns kept)", intAtLeast(8), 512)
    .option("--epochs <n>", "passes over the training pairs", intAtLeast(1), 1)
    .option("--lr <x>", "peak learning rate", float, 2e-4)
    .option("--batch <n>", "pairs per micro-batch", intAtLeast(1), 8)
    .option("--grad-accum <n>", "micro-batches per optimizer step", intAtLeast(1), 1)
    .option("--warmup <ratio>", "share of steps warming up linearly", float, 0.1)
    .addOption(new Option("--decay <kind>", "learning-rate decay after warmup").choices(["cosine", "linear"]).default("cosine"))
    .option("--weight-decay <x>", "AdamW decoupled weight decay", float, 0.01)
    .option("--no-swap", "do not add A/B-swapped copies of the training pairs")
    .option("--folds <k>", "k-fold: one adapter per fold, out-of-fold predictions in <out>/oof.csv, and <out>/adapter the fold average", intAtLeast(2))
    .addOption(new Option("--device <device>", "execution provider").choices(["cpu", "webgpu", "cuda"]).default("cpu"))
    .option("--threads <n>", "threads per op (a fixed count keeps runs bit-reproducible; 0 lets onnxruntime pick)", intAtLeast(0), 1)
    .option("--seed <n>", "seed of LoRA init, data order and folds", intAtLeast(0), 0)
    .option("--resume", "continue from the newest intact checkpoint in --out", false)
    .option("--eval-every <n>", "evaluate every n optimizer steps (0: at the end only)", intAtLeast(0), 0)
    .option("--checkpoint-every <n>", "write a checkpoint every n optimizer steps (0: none until the end)", intAtLeast(0), 50)
    .option("--teacher <csv>", "distil from a teacher: its probabilities per pair (id + one column per class, a submission file)")
    .option("--distill-weight <w>", "weight of KL(teacher ‖ student) in the loss; the labels keep 1 − w", float, 0.5)
    .addHelpText(
      "after",
      "\nExamples:\n  litee train --model ./SmolLM2-135M --data train.csv --out runs/smol --epochs 1 --max-length 512\n  litee train --model ./fixture --data train.csv --out runs/cv --folds 5 --rank 8\n  litee train --model ./SmolLM2-135M --data train.csv --out runs/smol --resume\n  litee train --model ./SmolLM2-135M --data train.csv --out runs/student --teacher gemma-oof.csv --distill-weight 0.5\n",
    )
    .action(async function (this: Command, options: TrainCliOptions) {
      if (options.folds && options.teacher) this.error("error: --teacher works with single runs; k-fold trains each fold on other rows", { exitCode: 2 });
      const [model, tokenizer, { table }] = await Promise.all([loadHfModel(options.model), loadTokenizer(options.model), loadDatasetFile(options.data)]);
      const lora = parseLoraConfig({
        r: options.rank,
        lora_alpha: options.alpha ?? 2 * options.rank,
        lora_dropout: options.dropout,
        target_modules: options.target,
        use_rslora: options.rslora,
        use_dora: options.dora,
        task_type: "SEQ_CLS",
        base_model_name_or_path: options.model,
        ...(options.layers ? { layers_to_transform: options.layers.split(",").map(Number) } : {}),
      });
      const examples = { maxLength: options.maxLength, swap: options.swap };
      const settings = {
        epochs: options.epochs,
        batchSize: options.batch,
        gradientAccumulation: options.gradAccum,
        learningRate: options.lr,
        warmupRatio: options.warmup,
        decay: options.decay,
        weightDecay: options.weightDecay,
        seed: options.seed,
        device: options.device,
        threads: options.threads,
        resume: options.resume,
        evalEvery: options.evalEvery,
        checkpointEvery: options.checkpointEvery,
        log: createTrainingLog(process.stderr),
      };
      await mkdir(options.out, { recursive: true });
      if (options.folds) {
        const result = await trainKFold(model, lora, table, tokenizer, { ...settings, runDir: options.out, k: options.folds, foldSeed: options.seed, examples, swapAverage: options.swap });
        await writePredictionsCsv(join(options.out, "oof.csv"), table.array("id") as string[], result.oof);
        const soup = averageAdapters(await Promise.all(result.adapterDirs.map((dir) => loadAdapter(dir))));
        await saveAdapter(join(options.out, "adapter"), soup);
        await writeJson(join(options.out, "metrics.json"), { folds: options.folds, overall: result.overall, foldMetrics: result.foldMetrics, adapterDirs: result.adapterDirs });
        process.stdout.write(`${options.folds}-fold out-of-fold log loss ${result.overall.logLoss.toFixed(4)}, accuracy ${result.overall.accuracy.toFixed(3)}\n`);
        process.stdout.write(`oof: ${join(options.out, "oof.csv")}\nadapter (fold average): ${join(options.out, "adapter")}\n`);
        return;
      }
      const evalTable = options.eval ? (await loadDatasetFile(options.eval)).table : null;
      const train = encodeExamples(table, tokenizer, examples);
      const distill = options.teacher
        ? { teacher: teacherTargets(parseTeacherCsv(await readFile(options.teacher, "utf8"), options.teacher), table.array("id") as string[], train, options.teacher), weight: options.distillWeight }
        : null;
      const result = await trainLora(model, lora, {
        ...settings,
        distill,
        train,
        eval: evalTable ? encodeExamples(evalTable, tokenizer, { ...examples, swap: false }) : null,
        runDir: options.out,
      });
      await writeJson(join(options.out, "metrics.json"), {
        steps: result.steps,
        totalSteps: result.totalSteps,
        losses: result.losses,
        evals: result.evals,
        examples: train.sequences.length,
        truncatedExamples: train.truncatedExamples,
        truncatedTokens: train.truncatedTokens,
      });
      const last = result.evals.at(-1);
      process.stdout.write(`${result.steps}/${result.totalSteps} steps, final loss ${result.losses.at(-1)?.toFixed(4) ?? "–"}${last ? `, eval log loss ${last.logLoss.toFixed(4)}` : ""}\n`);
      process.stdout.write(`adapter: ${result.adapterDir}\n`);
    });
}

function writeJson(path: string, value: unknown): Promise<void> {
  return writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}
