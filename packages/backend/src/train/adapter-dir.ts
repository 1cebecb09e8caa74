import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { encodeAdapter, type LoraAdapter } from "@lora-litee/lora";

/** Writes `runDir/adapter/` in PEFT's layout; the old folder is moved aside before the new one is renamed in. */
export async function writeAdapterDir(runDir: string, adapter: LoraAdapter): Promise<string> {
  const files = encodeAdapter(adapter);
  const final = join(runDir, "adapter");
  const temp = join(runDir, `.adapter-${process.pid}`);
  const aside = `${temp}-old`;
  await rm(temp, { recursive: true, force: true });
  await mkdir(temp, { recursive: true });
  await writeFile(join(temp, "adapter_config.json"), files.config);
  await writeFile(join(temp, "adapter_model.safetensors"), files.weights);
  await rm(aside, { recursive: true, force: true });
  await rename(final, aside).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "ENOENT") throw error;
  });
  await rename(temp, final);
  await rm(aside, { recursive: true, force: true });
  return final;
}
