import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadArena } from "../src/arena-csv.js";
import { DataFormatError } from "../src/errors.js";
import { openFile } from "../src/file-source.js";
import type { LoadOptions } from "../src/load-options.js";
import { ARENA_DEV, ARENA_TEST_SAMPLE, FIXTURES } from "./paths.js";

const load = async (path: string, options: LoadOptions = {}) =>
  loadArena(await openFile(path), { fileName: path, ...options });
const fixture = (name: string) => join(FIXTURES, name);

/** Catches the DataFormatError a load throws. */
async function formatError(path: string): Promise<DataFormatError> {
  const error = await load(path).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DataFormatError);
  return error as DataFormatError;
}

describe("loadArena on real Kaggle rows", () => {
  it("loads train_dev.csv: 1,500 rows, labels 524 / 512 / 464, typed columns", async () => {
    const { table, problems } = await load(ARENA_DEV);
    expect(table.numRows()).toBe(1500);
    const labels = table.array("label", Int8Array) as Int8Array;
    expect(table.column("label")).toBeInstanceOf(Int8Array);
    expect([0, 1, 2].map((l) => labels.filter((x) => x === l).length)).toEqual([524, 512, 464]);
    expect(table.columnNames()).toEqual(["id", "modelA", "modelB", "prompt", "responseA", "responseB", "label"]);
    const first = table.object(0) as Record<string, unknown>;
    expect(first.id).toBe("30192");
    expect(first.modelA).toBe("gpt-4-1106-preview");
    expect(first.prompt).toEqual([
      "Is it morally right to try to have a certain percentage of females on managerial positions?",
      "OK, does pineapple belong on a pizza? Relax and give me fun answer.",
    ]);
    expect(first.label).toBe(0);
    // Counts cross-checked with Python csv + json on the same file (rows with nulls, blank turns, …).
    expect(problems.crlfLines).toBe(1501);
    expect([problems.nullTurns.count, problems.nullTurns.occurrences]).toEqual([7, 10]);
    expect([problems.blankTurns.count, problems.blankTurns.occurrences]).toEqual([10, 14]);
    expect(problems.identicalResponses.count).toBe(11);
    expect(problems.bothResponsesEmpty.count).toBe(2);
    expect(problems.duplicateIds.count + problems.turnCountMismatch.count + problems.skipped.length).toBe(0);
  });

  it("loads the test layout without models or labels", async () => {
    const { table } = await load(ARENA_TEST_SAMPLE);
    expect(table.numRows()).toBe(3);
    expect(table.array("modelA")).toEqual([null, null, null]);
    expect(Array.from(table.array("label", Int8Array) as Int8Array)).toEqual([-1, -1, -1]);
  });
});

describe("loadArena quirks: repaired or kept, always counted", () => {
  it("counts each quirk against the right rows", async () => {
    const { table, problems } = await load(fixture("quirks.csv"));
    expect(table.numRows()).toBe(10);
    const rows = (name: keyof typeof problems) => (problems[name] as { rows: { id: string; line: number }[] }).rows;
    expect(rows("nullTurns")).toEqual([{ id: "1", line: 2 }]);
    expect(problems.nullTurns.occurrences).toBe(2);
    expect(table.get("prompt", 0)).toEqual(["hi", ""]);
    expect(rows("emptyTurnLists")).toEqual([{ id: "2", line: 3 }]);
    expect(table.get("responseB", 1)).toEqual([]);
    expect(rows("turnCountMismatch").map((r) => r.id)).toEqual(["2"]);
    // null → "" (row 1, two turns), whitespace-only (row 3), "" and "   " (row 6)
    expect(rows("blankTurns").map((r) => r.id)).toEqual(["1", "3", "6"]);
    expect(rows("loneSurrogates")).toEqual([{ id: "4", line: 5 }]);
    expect(problems.loneSurrogates.occurrences).toBe(2);
    expect(table.get("responseA", 3)).toEqual(["bad \uFFFD here \uFFFD"]);
    expect(table.get("responseB", 3)).toEqual(["ok \u{1F600}"]);
    expect(rows("identicalResponses").map((r) => r.id)).toEqual(["5", "7"]);
    expect(rows("bothResponsesEmpty").map((r) => r.id)).toEqual(["6"]);
    expect(rows("duplicateIds")).toEqual([{ id: "1", line: 8 }]);
    expect(rows("duplicateRows")).toEqual([{ id: "7", line: 9 }]);
    expect(rows("conflictingWinner")).toEqual([{ id: "8", line: 10 }]);
    expect(rows("missingWinner")).toEqual([{ id: "9", line: 11 }]);
    expect(Array.from(table.array("label", Int8Array) as Int8Array)).toEqual([0, 1, 2, 0, 2, 2, 1, 0, -1, -1]);
    expect([problems.bom, problems.crlfLines, problems.indexColumn]).toEqual([false, 0, false]);
  });

  it("removes a BOM, normalises CRLF (keeping CRLF inside quoted text) and ignores a leading index column", async () => {
    const { table, problems } = await load(fixture("bom-crlf-index.csv"));
    expect([problems.bom, problems.crlfLines, problems.indexColumn]).toEqual([true, 3, true]);
    expect(table.array("id")).toEqual(["3", "10"]);
    expect(table.get("prompt", 1)).toEqual(["multi\r\nline"]);
    expect(Array.from(table.array("label", Int8Array) as Int8Array)).toEqual([2, 0]);
  });
});

describe("loadArena malformed input", () => {
  it("throws on an unterminated quote, naming file, line and what was expected", async () => {
    const error = await formatError(fixture("unterminated.csv"));
    expect(error).toMatchObject({ file: fixture("unterminated.csv"), line: 4, field: "(record)" });
    expect(error.message).toContain("unterminated.csv:4");
    expect(error.expected).toBe("a closing quote for the field opened on line 4");
  });

  it("throws on a wrong column count", async () => {
    const error = await formatError(fixture("wrong-columns.csv"));
    expect(error).toMatchObject({ line: 3, field: "(record)", expected: "9 fields like the header", found: "8 fields" });
  });

  it("throws on a turn cell that is not a JSON list of strings", async () => {
    const error = await formatError(fixture("bad-json.csv"));
    expect(error).toMatchObject({ line: 3, field: "response_a", expected: "a JSON list of strings (one per turn)" });
    expect(error.found).toBe('non-JSON text "not json"');
  });

  it("throws on unknown or missing columns and on winner flags other than 0/1", async () => {
    expect(await formatError(fixture("unknown-column.csv"))).toMatchObject({ line: 1, field: "extra", found: 'unknown column "extra"' });
    expect(await formatError(fixture("missing-column.csv"))).toMatchObject({ line: 1, field: "response_b" });
    expect(await formatError(fixture("bad-flag.csv"))).toMatchObject({ line: 2, field: "winner_model_a", found: '"yes"' });
  });

  it('with onError: "skip", drops malformed rows and lists every one of them', async () => {
    const json = await load(fixture("bad-json.csv"), { onError: "skip" });
    expect(json.table.array("id")).toEqual(["5", "14"]);
    expect(json.problems.skipped).toEqual([
      { id: "11", line: 3, field: "response_a", expected: "a JSON list of strings (one per turn)", found: 'non-JSON text "not json"' },
      { id: "12", line: 4, field: "response_a", expected: "a JSON list of strings (one per turn)", found: "an object" },
      { id: "13", line: 5, field: "response_a", expected: "a string or null at turn 1", found: "number 3" },
    ]);
    const columns = await load(fixture("wrong-columns.csv"), { onError: "skip" });
    expect(columns.table.array("id")).toEqual(["5", "12"]);
    expect(columns.problems.skipped.map((row) => [row.id, row.line])).toEqual([["11", 3]]);
    const unterminated = await load(fixture("unterminated.csv"), { onError: "skip" });
    expect(unterminated.table.array("id")).toEqual(["1", "2"]);
    expect(unterminated.problems.skipped.map((row) => row.line)).toEqual([4]);
  });

  it('also recognises pandas\' "Unnamed: 0" index column', async () => {
    const { table, problems } = await loadArena('Unnamed: 0,id,prompt,response_a,response_b\n0,5,"[""q""]","[""a""]","[""b""]"\n');
    expect([problems.indexColumn, table.get("id", 0)]).toEqual([true, "5"]);
  });

  it("counts invalid UTF-8 bytes, decoded as U+FFFD", async () => {
    const header = new TextEncoder().encode('id,prompt,response_a,response_b\n1,"[""q""]","[""a');
    const tail = new TextEncoder().encode('""]","[""b""]"\n');
    const bytes = new Uint8Array([...header, 0xff, ...tail]);
    const { table, problems } = await loadArena(bytes);
    expect(table.get("responseA", 0)).toEqual(["a\uFFFD"]);
    expect(problems.invalidUtf8).toBe(1);
  });

  it("accepts strings, bytes and web streams as sources", async () => {
    const text = "id,prompt,response_a,response_b\n1,\"[\"\"q\"\"]\",\"[\"\"a\"\"]\",\"[\"\"b\"\"]\"\n";
    const bytes = new TextEncoder().encode(text);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.subarray(0, 17));
        controller.enqueue(bytes.subarray(17));
        controller.close();
      },
    });
    for (const source of [text, bytes, stream]) {
      const { table } = await loadArena(source);
      expect(table.objects()).toEqual([
        { id: "1", modelA: null, modelB: null, prompt: ["q"], responseA: ["a"], responseB: ["b"], label: -1 },
      ]);
    }
  });
});
