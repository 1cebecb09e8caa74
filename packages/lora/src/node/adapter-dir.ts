/** PEFT adapter directories on disk: adapter_config.json + adapter_model.safetensors. */
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { LoraAdapter } from "../adapter/adapter.js";
import { modelShapesFromConfig, type ModelShapes } from "../adapter/model-shapes.js";
import { decodeAdapter, encodeAdapter } from "../adapter/peft-format.js";
import { ADAPTER_CONFIG_NAME, ADAPTER_WEIGHTS_NAME } from "../constants.js";
import { LoraConfigError } from "../errors.js";
import { writeFileAtomic } from "./atomic-write.js";

/** Options of loadAdapter. */
export interface LoadAdapterOptions {
  /** Check shapes against a model: its ModelShapes, or the path of its config.json. Defaults to `null` (no check). */
  model?: ModelShapes | string | null;
}

/** Saves an adapter as PEFT does (weights first, then the config, each atomically), creating `dir` if needed. */
export async function saveAdapter(dir: string, adapter: LoraAdapter): Promise<void> {
  const files = encodeAdapter(adapter);
  await mkdir(dir, { recursive: true });
  await writeFileAtomic(join(dir, ADAPTER_WEIGHTS_NAME), files.weights);
  await writeFileAtomic(join(dir, ADAPTER_CONFIG_NAME), files.config);
}

/** Loads a PEFT adapter directory, optionally checking it against the model it will be applied to. */
export async function loadAdapter(dir: string, options: LoadAdapterOptions = {}): Promise<LoraAdapter> {
  const [config, weights] = await Promise.all([
    readFile(join(dir, ADAPTER_CONFIG_NAME), "utf8"),
    readFile(join(dir, ADAPTER_WEIGHTS_NAME)),
  ]);
  let model: ModelShapes | null = null;
  if (typeof options.model === "string") {
    const text = await readFile(options.model, "utf8");
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new LoraConfigError("<root>", text.slice(0, 40), `valid JSON (${(e as Error).message})`, options.model);
    }
    model = modelShapesFromConfig(json as Record<string, unknown>, options.model);
  } else {
    model = options.model ?? null;
  }
  const bytes = new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength);
  return decodeAdapter({ config, weights: bytes }, { model, source: dir });
}
