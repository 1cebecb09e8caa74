import { join } from "node:path";
import { encodeExamples, loadHfModel, trainLora, predictProbabilities, type Device } from "@lora-litee/backend";
import type { LossPoint } from "@lora-litee/bench";
import type { TextTokenizer } from "@lora-litee/data";
import { loadTokenizer } from "@lora-litee/data/node";
import { parseLoraConfig } from "@lora-litee/lora";
import type { DemoMember } from "./demo-member.js";

/** Options of {@link loraMember}. */
export interface LoraMemberOptions {
  /** Hugging Face model folder (config.json, safetensors, tokenizer files). */
  modelDir: string;
  /** Where each fit's run folder (checkpoints, adapter) goes. */
  workDir: string;
  /** Execution provider. Defaults to `"cpu"`. */
  device?: Device;
  /** Token budget per pair. Defaults to `256`. */
  maxLength?: number;
  /** Passes over the (swap-augmented) training rows. Defaults to `2`. */
  epochs?: number;
  /** Peak learning rate. Defaults to `2e-3`. */
  learningRate?: number;
  /** LoRA rank on every linear layer. Defaults to `8`. */
  rank?: number;
  /** Seed of LoRA init and data order. Defaults to `0`. */
  seed?: number;
  /** Shown beside the member in the report (e.g. that the base model is a random-init fixture). */
  caveat?: string;
  /** Member name in the report. Defaults to `"lora"`. */
  name?: string;
}

/**
 * The LoRA-LiteE member: LoRA on every linear layer of a classifier (Llama family, Gemma-2 or BERT) plus a fully
 * trained 3-way head, trained on A/B-swap-augmented pairs and predicting with swap test-time averaging.
 */
export async function loraMember(options: LoraMemberOptions): Promise<DemoMember> {
  const model = await loadHfModel(options.modelDir);
  const tokenizer: TextTokenizer = await loadTokenizer(options.modelDir);
  const maxLength = options.maxLength ?? 256;
  const rank = options.rank ?? 8;
  const config = parseLoraConfig({ r: rank, lora_alpha: 2 * rank, target_modules: "all-linear", task_type: "SEQ_CLS" });
  const curve: LossPoint[] = [];
  return {
    name: options.name ?? "lora",
    kind: "lora",
    ...(options.caveat ? { caveat: options.caveat } : {}),
    async fitPredict(train, test, run) {
      const result = await trainLora(model, config, {
        train: encodeExamples(train, tokenizer, { maxLength, swap: true }),
        runDir: join(options.workDir, run.replace(/[^a-z0-9]+/gi, "-")),
        epochs: options.epochs ?? 2,
        batchSize: 8,
        learningRate: options.learningRate ?? 2e-3,
        seed: options.seed ?? 0,
        device: options.device ?? "cpu",
        threads: 0,
      });
      result.losses.forEach((loss, i) => curve.push({ step: i + 1, loss, series: run }));
      const examples = encodeExamples(test, tokenizer, { maxLength, swap: true, requireLabels: false });
      return predictProbabilities(model, result.adapter, examples, { device: options.device ?? "cpu" });
    },
    lossCurve: () => curve,
  };
}
