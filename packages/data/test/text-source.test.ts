import { describe, expect, it } from "vitest";
import { textChunks, type DecodeStats } from "../src/text-source.js";

async function decode(bytes: Uint8Array, chunkSize: number): Promise<{ text: string; stats: DecodeStats }> {
  const chunks = Array.from({ length: Math.ceil(bytes.length / chunkSize) }, (_, i) => bytes.subarray(i * chunkSize, (i + 1) * chunkSize));
  const stats: DecodeStats = { invalidUtf8: 0 };
  let text = "";
  for await (const piece of textChunks(chunks, stats)) text += piece;
  return { text, stats };
}

describe("textChunks", () => {
  it("counts invalid UTF-8 but not a real U+FFFD, wherever the chunks split", async () => {
    // "a", a lone continuation byte, a real U+FFFD (EF BF BD), a truncated 2-byte sequence (C3) before "b", "é"
    const bytes = Uint8Array.from([0x61, 0x80, 0xef, 0xbf, 0xbd, 0xc3, 0x62, 0xc3, 0xa9]);
    for (const size of [1, 2, 3, 4, 9]) {
      const { text, stats } = await decode(bytes, size);
      expect(text).toBe("a\uFFFD\uFFFD\uFFFDbé");
      expect(stats.invalidUtf8).toBe(2);
    }
  });

  it("keeps a byte-order mark for the parsers to report", async () => {
    const { text, stats } = await decode(Uint8Array.from([0xef, 0xbb, 0xbf, 0x41]), 1);
    expect(text).toBe("\uFEFFA");
    expect(stats.invalidUtf8).toBe(0);
  });
});
