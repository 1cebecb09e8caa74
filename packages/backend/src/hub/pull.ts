import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, open, rename, stat, unlink } from "node:fs/promises";
import { dirname, join } from "node:path";
import { downloadFile, listFiles, modelInfo, type ListFileEntry } from "@huggingface/hub";
import { TOKENIZER_FILE_NAMES } from "../models/tokenizer-files.js";

/**
 * Downloads what training and serving need from a Hugging Face Hub model repo — config, safetensors weights
 * (sharded too) and tokenizer files — into a plain folder, through `@huggingface/hub`. Each file streams into
 * `<name>.incomplete` and is renamed when whole, so an interrupted pull resumes with a Range request where it
 * stopped; LFS files are checked against their SHA-256. Only this function touches the network, and only when called.
 */

/** Options of `pullModel`. */
export interface PullOptions {
  /** Branch, tag or commit. Defaults to `"main"`. */
  readonly revision?: string;
  /** Hub base URL (a mirror, or a local server in tests). Defaults to `process.env.HF_ENDPOINT ?? "https://huggingface.co"`. */
  readonly endpoint?: string;
  /** Access token for gated or private repos. Defaults to `process.env.HF_TOKEN`. */
  readonly accessToken?: string;
  /** Called as bytes arrive. Defaults to no reporting. */
  readonly onProgress?: ((progress: PullProgress) => void) | null;
  /** The fetch to use. Defaults to the global `fetch`. */
  readonly fetch?: typeof fetch;
}

/** Progress of a pull. */
export interface PullProgress {
  /** The file being written. */
  readonly file: string;
  /** Bytes of this file on disk. */
  readonly fileBytes: number;
  /** Size of this file. */
  readonly fileSize: number;
  /** Bytes of all selected files on disk. */
  readonly bytes: number;
  /** Size of all selected files. */
  readonly totalBytes: number;
}

/** What a pull did. */
export interface PullResult {
  /** Files now in the folder, repo-relative. */
  readonly files: readonly string[];
  /** Files that were already complete and not fetched again. */
  readonly skipped: readonly string[];
  /** Bytes fetched over the network (less than the total when resuming). */
  readonly downloadedBytes: number;
  /** The commit the revision resolved to; every file came from it. */
  readonly commit: string;
}

/** A repo that has nothing to pull, or a file that arrived damaged; names the repo and the file. */
export class PullError extends Error {
  override readonly name = "PullError";
}

const CONFIG_FILES = ["config.json", "generation_config.json", "model.safetensors.index.json"];

/** Files of the repo a classifier needs: configs, root-level `*.safetensors`, tokenizer files. */
export function selectModelFiles(entries: readonly ListFileEntry[]): ListFileEntry[] {
  const wanted = new Set<string>([...CONFIG_FILES, ...TOKENIZER_FILE_NAMES]);
  return entries.filter((e) => e.type === "file" && (wanted.has(e.path) || (!e.path.includes("/") && e.path.endsWith(".safetensors"))));
}

/** Pulls `repo` (`owner/name`) into `dir`, creating it; files already complete are skipped. */
export async function pullModel(repo: string, dir: string, options: PullOptions = {}): Promise<PullResult> {
  const revision = options.revision ?? "main";
  const hub = {
    repo: { type: "model" as const, name: repo },
    revision,
    hubUrl: options.endpoint ?? process.env.HF_ENDPOINT ?? "https://huggingface.co",
    ...(options.accessToken ?? process.env.HF_TOKEN ? { accessToken: options.accessToken ?? process.env.HF_TOKEN } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  };
  const source = `${repo}@${revision}`;
  const entries: ListFileEntry[] = [];
  let commit: string;
  try {
    // one commit for every file, so a branch that moves during the pull cannot mix two versions
    const info = await modelInfo({ ...hub, name: repo, additionalFields: ["sha"] });
    if (typeof info.sha !== "string") throw new Error("the hub gave no commit sha for the revision");
    commit = info.sha;
    hub.revision = commit;
    for await (const entry of listFiles({ ...hub, recursive: false })) entries.push(entry);
  } catch (error) {
    throw new PullError(`${source}: cannot list the repo at ${hub.hubUrl}: ${(error as Error).message}`, { cause: error });
  }
  const selected = selectModelFiles(entries);
  if (!selected.some((e) => e.path === "config.json")) throw new PullError(`${source}: no config.json in the repo`);
  if (!selected.some((e) => e.path.endsWith(".safetensors"))) {
    const others = entries.filter((e) => /\.(bin|pt|pth|gguf|onnx)$/.test(e.path)).map((e) => e.path);
    throw new PullError(`${source}: no .safetensors weights${others.length ? ` (found ${others.join(", ")}; only safetensors are read)` : ""}`);
  }

  const sizeOf = (e: ListFileEntry) => e.lfs?.size ?? e.size;
  const totalBytes = selected.reduce((sum, e) => sum + sizeOf(e), 0);
  let bytes = 0;
  let downloadedBytes = 0;
  const skipped: string[] = [];
  await mkdir(dir, { recursive: true });
  for (const entry of selected) {
    const target = join(dir, entry.path);
    const size = sizeOf(entry);
    if (await isCurrent(target, entry, size)) {
      skipped.push(entry.path);
      bytes += size;
      options.onProgress?.({ file: entry.path, fileBytes: size, fileSize: size, bytes, totalBytes });
      continue;
    }
    const partial = `${target}.incomplete`;
    let have = (await sizeOnDisk(partial)) ?? 0;
    if (have > size) {
      await unlink(partial);
      have = 0;
    }
    bytes += have;
    if (have < size) {
      const blob = await downloadFile({ ...hub, path: entry.path, xet: false });
      if (!blob) throw new PullError(`${source}: ${entry.path} is listed but cannot be downloaded`);
      await mkdir(dirname(partial), { recursive: true });
      const file = await open(partial, "a");
      try {
        const reader = blob.slice(have).stream().getReader();
        for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
          await file.write(chunk.value);
          have += chunk.value.byteLength;
          bytes += chunk.value.byteLength;
          downloadedBytes += chunk.value.byteLength;
          options.onProgress?.({ file: entry.path, fileBytes: have, fileSize: size, bytes, totalBytes });
        }
      } finally {
        await file.close();
      }
    }
    if (have !== size) throw new PullError(`${source}: ${entry.path} stopped at ${have} of ${size} bytes; run the pull again to resume`);
    if (entry.lfs) {
      const sha = await hashOf(partial, "sha256");
      if (sha !== entry.lfs.oid) {
        await unlink(partial);
        throw new PullError(`${source}: ${entry.path} has SHA-256 ${sha}, the hub lists ${entry.lfs.oid}; the partial file was removed`);
      }
    }
    await rename(partial, target);
  }
  return { files: selected.map((e) => e.path), skipped, downloadedBytes, commit };
}

/**
 * Whether `path` already holds the hub's version of `entry`: same size and same hash — SHA-256 for LFS files, the git
 * blob SHA-1 (`blob <size>\0` + bytes) for the rest — so a file edited on the hub at equal length is fetched again.
 */
async function isCurrent(path: string, entry: ListFileEntry, size: number): Promise<boolean> {
  if ((await sizeOnDisk(path)) !== size) return false;
  if (entry.lfs) return (await hashOf(path, "sha256")) === entry.lfs.oid;
  if (entry.oid) return (await hashOf(path, "sha1", `blob ${size}\0`)) === entry.oid;
  return true;
}

async function sizeOnDisk(path: string): Promise<number | null> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

async function hashOf(path: string, algorithm: "sha256" | "sha1", prefix = ""): Promise<string> {
  const hash = createHash(algorithm).update(prefix);
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}
