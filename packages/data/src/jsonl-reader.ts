import type { CsvStats } from "./csv-reader.js";

/** One non-empty line of a JSON Lines input, or a blank one. */
export type JsonlItem = { kind: "line"; text: string; line: number } | { kind: "blank"; line: number };

/** Splits text chunks into lines (LF or CRLF); `stats` counts a BOM and CRLFs once the iteration ends. */
export async function* readJsonl(chunks: AsyncIterable<string>, stats: CsvStats): AsyncGenerator<JsonlItem> {
  let rest = "";
  let line = 1;
  let started = false;
  for await (let chunk of chunks) {
    if (!started && chunk.length > 0) {
      started = true;
      if (chunk.charCodeAt(0) === 0xfeff) {
        stats.bom = true;
        chunk = chunk.slice(1);
      }
    }
    const text = rest + chunk;
    let start = 0;
    // `rest` holds no line break, so the search starts after it.
    for (let lf = text.indexOf("\n", rest.length); lf !== -1; lf = text.indexOf("\n", start)) {
      yield item(text, start, lf, line++, stats);
      start = lf + 1;
    }
    rest = text.slice(start);
  }
  if (rest.length > 0) yield item(rest, 0, rest.length, line, stats);
}

function item(text: string, start: number, end: number, line: number, stats: CsvStats): JsonlItem {
  if (end > start && text.charCodeAt(end - 1) === 13) {
    end -= 1;
    stats.crlfLines += 1;
  }
  const content = text.slice(start, end);
  return content.trim() === "" ? { kind: "blank", line } : { kind: "line", text: content, line };
}
