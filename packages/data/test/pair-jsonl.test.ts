import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DataFormatError } from "../src/errors.js";
import { openFile } from "../src/file-source.js";
import { loadPairJsonl } from "../src/pair-jsonl.js";
import { FIXTURES } from "./paths.js";

const PAIRS = join(FIXTURES, "pairs.jsonl");
const BAD = join(FIXTURES, "pairs-bad.jsonl");

describe("loadPairJsonl", () => {
  it("loads strings or turn lists, defaults ids to line numbers, and reports BOM, CRLF and blank lines", async () => {
    const { table, problems } = await loadPairJsonl(await openFile(PAIRS), { fileName: PAIRS });
    expect(table.objects()).toEqual([
      { id: "p1", modelA: null, modelB: null, prompt: ["q1"], responseA: ["a1"], responseB: ["b1"], label: 0 },
      { id: "2", modelA: "m1", modelB: "m2", prompt: ["t1", "t2"], responseA: ["a1", "a2"], responseB: ["b1", ""], label: 2 },
      { id: "7", modelA: null, modelB: null, prompt: ["q"], responseA: ["same"], responseB: ["same"], label: 1 },
    ]);
    expect([problems.bom, problems.crlfLines]).toEqual([true, 4]);
    expect(problems.blankLines.rows).toEqual([{ id: "", line: 3 }]);
    expect(problems.nullTurns.rows).toEqual([{ id: "2", line: 2 }]);
    expect(problems.identicalResponses.rows).toEqual([{ id: "7", line: 4 }]);
  });

  it("throws a DataFormatError at the first malformed line", async () => {
    const error = await loadPairJsonl(await openFile(BAD), { fileName: BAD }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataFormatError);
    expect(error).toMatchObject({ file: BAD, line: 2, field: "(record)", expected: "a JSON object" });
  });

  it('with onError: "skip", lists every malformed line', async () => {
    const { table, problems } = await loadPairJsonl(await openFile(BAD), { fileName: BAD, onError: "skip" });
    expect(table.array("id")).toEqual(["1", "7"]);
    expect(problems.skipped.map(({ line, field, expected }) => ({ line, field, expected }))).toEqual([
      { line: 2, field: "(record)", expected: "a JSON object" },
      { line: 3, field: "label", expected: "0 (A), 1 (B) or 2 (tie)" },
      { line: 4, field: "score", expected: "only the keys id, model_a, model_b, prompt, response_a, response_b, label" },
      { line: 5, field: "(record)", expected: "a JSON object" },
      { line: 6, field: "response_a", expected: "a string or a list of strings" },
    ]);
  });
});
