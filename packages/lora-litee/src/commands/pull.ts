import { pullModel, type PullProgress } from "@lora-litee/backend";
import type { Command } from "commander";

interface PullCommandOptions {
  revision: string;
  endpoint?: string;
  progress: boolean;
}

const BAR_WIDTH = 24;
const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);

/** One progress line: a bar over all bytes, then the file being written. */
export function progressLine(p: PullProgress): string {
  const share = p.totalBytes > 0 ? p.bytes / p.totalBytes : 1;
  const filled = Math.round(share * BAR_WIDTH);
  return `[${"#".repeat(filled)}${".".repeat(BAR_WIDTH - filled)}] ${(share * 100).toFixed(0).padStart(3)}% ${mib(p.bytes)}/${mib(p.totalBytes)} MiB ${p.file}`;
}

/** `litee pull <hub-id> <dir>`: a model's config, safetensors and tokenizer from the Hugging Face Hub. */
export function registerPullCommands(program: Command): void {
  program
    .command("pull <hub-id> <dir>")
    .description("download config.json, the safetensors weights (sharded too) and the tokenizer files of a Hugging Face Hub model into <dir>; resumes where an interrupted pull stopped")
    .option("--revision <rev>", "branch, tag or commit", "main")
    .option("--endpoint <url>", "hub base URL (default: $HF_ENDPOINT or https://huggingface.co)")
    .option("--no-progress", "no progress bar on stderr")
    .addHelpText("after", "\nThe only command that uses the network. $HF_TOKEN is sent for gated repos.\n\nExample:\n  litee pull HuggingFaceTB/SmolLM2-135M ./smollm2\n")
    .action(async (hubId: string, dir: string, options: PullCommandOptions) => {
      const tty = process.stderr.isTTY === true;
      let lastFile = "";
      const onProgress = (p: PullProgress) => {
        if (!options.progress) return;
        // a terminal gets one redrawn bar; a log gets one line per finished file
        if (tty) process.stderr.write(`\r${progressLine(p)}\x1b[K`);
        else if (p.fileBytes === p.fileSize && p.file !== lastFile) process.stderr.write(`${progressLine(p)}\n`);
        lastFile = p.fileBytes === p.fileSize ? p.file : lastFile;
      };
      const result = await pullModel(hubId, dir, { revision: options.revision, ...(options.endpoint ? { endpoint: options.endpoint } : {}), onProgress });
      if (tty && options.progress) process.stderr.write("\n");
      const skipped = result.skipped.length ? `, ${result.skipped.length} already complete` : "";
      process.stdout.write(`${dir}: ${result.files.length} files from ${hubId}@${options.revision} (commit ${result.commit.slice(0, 12)}; ${mib(result.downloadedBytes)} MiB downloaded${skipped})\n  files: ${result.files.join(", ")}\n`);
    });
}
