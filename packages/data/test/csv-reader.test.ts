import { parse } from "csv-parse";
import { createReadStream, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readCsv, type CsvItem, type CsvStats } from "../src/csv-reader.js";
import { arenaSamplePath } from "../src/sample-path.js";
import { ARENA_DEV } from "./paths.js";

async function readAll(chunks: Iterable<string> | AsyncIterable<string>): Promise<{ items: CsvItem[]; stats: CsvStats }> {
  const stats: CsvStats = { bom: false, crlfLines: 0 };
  const items: CsvItem[] = [];
  const source = (async function* () {
    yield* chunks;
  })();
  for await (const item of readCsv(source, stats)) items.push(item);
  return { items, stats };
}

function chunked(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

describe("readCsv", () => {
  it("yields the same fields and start lines as csv-parse on the real 1,500-row file", async () => {
    const reference: { fields: string[]; line: number }[] = [];
    let previousEnd = 0;
    for await (const { record, info } of createReadStream(ARENA_DEV).pipe(parse({ info: true }))) {
      // csv-parse's info.lines is the line a record ends on; the next record starts on the line after.
      reference.push({ fields: record, line: previousEnd + 1 });
      previousEnd = info.lines;
    }
    const { items, stats } = await readAll(chunked(readFileSync(ARENA_DEV, "utf8"), 65_536));
    expect(items).toHaveLength(1501);
    expect(items.map((item) => (item.kind === "record" ? { fields: item.fields, line: item.line } : item))).toEqual(reference);
    expect(stats.crlfLines).toBe(1501);
  });

  it("gives identical records whatever the chunk size", async () => {
    const text = readFileSync(arenaSamplePath(), "utf8");
    const whole = await readAll([text]);
    for (const size of [997, 4096]) expect(await readAll(chunked(text, size))).toEqual(whole);
    const small = 'a,"b ""quoted""\r\nline",c\r\n"x",,"",\n';
    const expected = await readAll([small]);
    expect(await readAll(chunked(small, 1))).toEqual(expected);
    expect(expected.items).toEqual([
      { kind: "record", fields: ["a", 'b "quoted"\r\nline', "c"], line: 1 },
      { kind: "record", fields: ["x", "", "", ""], line: 3 },
    ]);
    expect(expected.stats.crlfLines).toBe(1);
  });

  it("strips and reports a BOM, reports blank lines, and handles a last record without a line break", async () => {
    const { items, stats } = await readAll(["\uFEFFid,x\n\n1,2"]);
    expect(stats.bom).toBe(true);
    expect(items).toEqual([
      { kind: "record", fields: ["id", "x"], line: 1 },
      { kind: "blank", line: 2 },
      { kind: "record", fields: ["1", "2"], line: 3 },
    ]);
  });

  it("ends on an unterminated quote, naming the line where the field opened", async () => {
    const { items } = await readAll(["id,x\n1,ok\n2,\"never\nclosed\n"]);
    expect(items[2]).toEqual({
      kind: "malformed",
      line: 3,
      expected: "a closing quote for the field opened on line 3",
      found: "end of input",
      fatal: true,
    });
    expect(items).toHaveLength(3);
  });

  it("recovers at the next line after text following a closing quote", async () => {
    const { items } = await readAll(['id,x\n1,"a"b\n2,c\n']);
    expect(items[1]).toMatchObject({ kind: "malformed", line: 2, expected: "a comma or line end after the closing quote", fatal: false });
    expect(items[2]).toEqual({ kind: "record", fields: ["2", "c"], line: 3 });
  });
});
