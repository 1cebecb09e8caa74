/**
 * safetensors files on disk, read by slices: the header first (bounds-checked against the file's size), then only
 * the byte ranges of the tensors asked for, each into its own aligned buffer, so the file is never copied whole.
 */
import { open, type FileHandle } from "node:fs/promises";
import type { Tensor } from "../safetensors/dtypes.js";
import { parseHeader, readHeaderLength, tensorFromBytes, type ReadOptions, type SafetensorsHeader } from "../safetensors/parse.js";
import { SafetensorsError } from "../errors.js";

/** An open safetensors file. Close it when done. */
export interface SafetensorsFile {
  /** The path it was opened from. */
  readonly path: string;
  /** The validated header. */
  readonly header: SafetensorsHeader;
  /** Reads one tensor's bytes from disk. */
  read(name: string, options?: ReadOptions): Promise<Tensor>;
  /** Closes the file handle. */
  close(): Promise<void>;
}

async function readExactly(handle: FileHandle, length: number, position: number, path: string): Promise<Uint8Array> {
  const buffer = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(buffer, done, length - done, position + done);
    if (bytesRead === 0) throw new SafetensorsError(`file ended after ${position + done} bytes while reading ${length} at ${position}`, path);
    done += bytesRead;
  }
  return buffer;
}

/** Opens a safetensors file and validates its header; tensor data is read on demand. */
export async function openSafetensors(path: string): Promise<SafetensorsFile> {
  const handle = await open(path, "r");
  try {
    const { size } = await handle.stat();
    const prefix = await readExactly(handle, Math.min(8, size), 0, path);
    const n = readHeaderLength(prefix, size, path);
    const header = parseHeader(await readExactly(handle, n, 8, path), size, path);
    const byName = new Map(header.tensors.map((t) => [t.name, t]));
    return {
      path,
      header,
      async read(name, options = {}) {
        const info = byName.get(name);
        if (info === undefined) throw new SafetensorsError(`no tensor named "${name}"`, path);
        const bytes = await readExactly(handle, info.end - info.begin, header.dataStart + info.begin, path);
        return tensorFromBytes(info, bytes, options);
      },
      close: () => handle.close(),
    };
  } catch (e) {
    await handle.close();
    throw e;
  }
}

/** Reads tensors (all, or those named) from a safetensors file, by slices. */
export async function readSafetensorsFile(
  path: string,
  options: ReadOptions & { names?: readonly string[] } = {},
): Promise<{ metadata: Record<string, string> | null; tensors: Map<string, Tensor> }> {
  const file = await openSafetensors(path);
  try {
    const names = options.names ?? file.header.tensors.map((t) => t.name);
    const tensors = new Map<string, Tensor>();
    for (const name of names) tensors.set(name, await file.read(name, options));
    return { metadata: file.header.metadata, tensors };
  } finally {
    await file.close();
  }
}
