import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { createGunzip } from "node:zlib";

const GZIP_MAGIC = [0x1f, 0x8b];

/** Streams a file's bytes, gunzipping it when it starts with the gzip magic number (whatever its name). */
export async function openFile(path: string): Promise<AsyncIterable<Uint8Array>> {
  const head = Buffer.alloc(2);
  const handle = await open(path, "r");
  try {
    await handle.read(head, 0, 2, 0);
  } finally {
    await handle.close();
  }
  // 1 MiB reads: arena rows are kilobytes each, and fewer, larger chunks mean fewer string concatenations.
  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  return head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1] ? stream.pipe(createGunzip()) : stream;
}
