import { createHash } from "node:crypto";
import { mkdir, mkdtemp, open, readFile, readdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";

/**
 * Crash-safe checkpoints. Each is a folder `checkpoints/step-NNNNNNNN/` holding the caller's files (adapter,
 * optimizer moments… as bytes) and `checkpoint.json` (the trainer's JSON state plus each file's size and SHA-256).
 * A checkpoint is built in a hidden temp folder, every file fsynced, then renamed into place, and `latest.json` is
 * replaced by rename too: a process killed at any instant leaves either the previous checkpoint or the new one,
 * never a torn one. Readers verify sizes and hashes and fall back to the newest intact checkpoint.
 */

/** Name of the manifest inside each checkpoint folder. */
export const CHECKPOINT_MANIFEST = "checkpoint.json";
const FORMAT = "lora-litee-checkpoint";
const VERSION = 1;

/** A checkpoint that cannot be written or read back; names the folder and file. */
export class CheckpointError extends Error {
  override readonly name = "CheckpointError";
}

/** What one checkpoint holds. */
export interface CheckpointContents<State> {
  /** Optimizer updates done when the checkpoint was taken. */
  readonly step: number;
  /** The trainer's own state (scheduler step, RNG state, data position…), any JSON value. */
  readonly state: State;
  /** Files by name (no folders), as bytes or UTF-8 text. */
  readonly files: Readonly<Record<string, Uint8Array | string>>;
}

/** A checkpoint found on disk. */
export interface LoadedCheckpoint<State> {
  /** Optimizer updates done when it was taken. */
  readonly step: number;
  /** The trainer's state as saved. */
  readonly state: State;
  /** Its folder. */
  readonly dir: string;
  /** Reads one of its files (already verified against the manifest). */
  readonly files: ReadonlyMap<string, Uint8Array>;
}

/** Options of `writeCheckpoint`. */
export interface WriteCheckpointOptions {
  /** How many most recent checkpoints stay on disk; older ones are removed after the new one is in place. Defaults to `2`. */
  readonly keep?: number;
}

interface Manifest {
  format: string;
  version: number;
  step: number;
  files: Record<string, { bytes: number; sha256: string }>;
  state: unknown;
}

/** The folder of the checkpoint for `step` under `runDir`. */
export function checkpointDir(runDir: string, step: number): string {
  return join(runDir, "checkpoints", `step-${String(step).padStart(8, "0")}`);
}

/** Writes a checkpoint atomically and points `latest.json` at it; returns its folder. */
export async function writeCheckpoint<State>(
  runDir: string,
  contents: CheckpointContents<State>,
  options: WriteCheckpointOptions = {},
): Promise<string> {
  const keep = options.keep ?? 2;
  if (!Number.isInteger(keep) || keep < 1) throw new CheckpointError(`keep must be an integer ≥ 1, got ${keep}`);
  if (!Number.isInteger(contents.step) || contents.step < 0) throw new CheckpointError(`step must be an integer ≥ 0, got ${contents.step}`);
  for (const name of Object.keys(contents.files)) {
    if (name === CHECKPOINT_MANIFEST || name.includes("/") || name.includes("\\") || name.startsWith(".")) {
      throw new CheckpointError(`checkpoint file name ${JSON.stringify(name)} is reserved or not a plain file name`);
    }
  }
  const root = join(runDir, "checkpoints");
  await mkdir(root, { recursive: true });
  const final = checkpointDir(runDir, contents.step);
  const temp = await mkdtemp(join(root, `.tmp-step-${contents.step}-`));

  const manifest: Manifest = { format: FORMAT, version: VERSION, step: contents.step, files: {}, state: contents.state };
  for (const [name, content] of Object.entries(contents.files)) {
    const bytes = typeof content === "string" ? new TextEncoder().encode(content) : content;
    await writeDurably(join(temp, name), bytes);
    manifest.files[name] = { bytes: bytes.byteLength, sha256: sha256(bytes) };
  }
  await writeDurably(join(temp, CHECKPOINT_MANIFEST), new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`));
  await syncDir(temp);

  // A resumed run may write a step it had written before it was killed: move the old one aside first.
  const aside = `${temp}-replaced`;
  const replaced = await rename(final, aside).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return false;
      throw error;
    },
  );
  await rename(temp, final);
  await syncDir(root);
  const latest = join(runDir, "latest.json");
  await writeDurably(`${latest}.tmp`, new TextEncoder().encode(`${JSON.stringify({ step: contents.step, dir: relativeDir(contents.step) })}\n`));
  await rename(`${latest}.tmp`, latest);
  await syncDir(runDir);
  if (replaced) await rm(aside, { recursive: true, force: true });
  await prune(runDir, root, keep);
  return final;
}

/**
 * The checkpoint `latest.json` names, or, when that one is missing or damaged, the newest intact one; null when
 * there is none. Each file is checked against the manifest's size and SHA-256.
 */
export async function readLatestCheckpoint<State>(runDir: string): Promise<LoadedCheckpoint<State> | null> {
  const root = join(runDir, "checkpoints");
  const steps = await listSteps(root);
  const pointed = await readFile(join(runDir, "latest.json"), "utf8").then(
    (text) => (JSON.parse(text) as { step?: unknown }).step,
    () => undefined,
  );
  const order = typeof pointed === "number" ? [pointed, ...steps.filter((s) => s !== pointed)] : steps;
  for (const step of order) {
    try {
      return await readCheckpoint<State>(checkpointDir(runDir, step));
    } catch (error) {
      if (!(error instanceof CheckpointError)) throw error;
    }
  }
  return null;
}

/** Reads and verifies one checkpoint folder. */
export async function readCheckpoint<State>(dir: string): Promise<LoadedCheckpoint<State>> {
  const manifestPath = join(dir, CHECKPOINT_MANIFEST);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(manifestPath, "utf8")) as Manifest;
  } catch (error) {
    throw new CheckpointError(`${manifestPath}: cannot be read as JSON (${(error as Error).message})`);
  }
  if (manifest.format !== FORMAT || manifest.version !== VERSION) {
    throw new CheckpointError(`${manifestPath}: expected format ${FORMAT} version ${VERSION}, got ${manifest.format} ${manifest.version}`);
  }
  const files = new Map<string, Uint8Array>();
  for (const [name, expected] of Object.entries(manifest.files)) {
    const path = join(dir, name);
    const bytes = await readFile(path).catch((error: Error) => {
      throw new CheckpointError(`${path}: listed in ${CHECKPOINT_MANIFEST} but unreadable (${error.message})`);
    });
    if (bytes.byteLength !== expected.bytes || sha256(bytes) !== expected.sha256) {
      throw new CheckpointError(`${path}: ${bytes.byteLength} bytes that do not match the manifest (${expected.bytes} bytes, sha256 ${expected.sha256})`);
    }
    files.set(name, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }
  return { step: manifest.step, state: manifest.state as State, dir, files };
}

async function writeDurably(path: string, bytes: Uint8Array): Promise<void> {
  const handle = await open(path, "w");
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function syncDir(path: string): Promise<void> {
  const handle = await open(path, "r");
  try {
    await handle.sync();
  } catch (error) {
    // Some platforms (Windows) cannot fsync a folder; the renames are still atomic there.
    if ((error as NodeJS.ErrnoException).code !== "EPERM" && (error as NodeJS.ErrnoException).code !== "EISDIR") throw error;
  } finally {
    await handle.close();
  }
}

/** Step numbers of the checkpoint folders, newest first. */
async function listSteps(root: string): Promise<number[]> {
  const names = await readdir(root).catch(() => [] as string[]);
  return names
    .map((name) => /^step-(\d+)$/.exec(name))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => Number(match[1]))
    .sort((a, b) => b - a);
}

/** Removes checkpoints beyond the newest `keep` and temp folders left by killed writers (one writer per run). */
async function prune(runDir: string, root: string, keep: number): Promise<void> {
  for (const step of (await listSteps(root)).slice(keep)) await rm(checkpointDir(runDir, step), { recursive: true, force: true });
  for (const name of await readdir(root)) if (name.startsWith(".tmp-")) await rm(join(root, name), { recursive: true, force: true });
}

function relativeDir(step: number): string {
  return join("checkpoints", `step-${String(step).padStart(8, "0")}`);
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}
