import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openFile } from "../src/file-source.js";
import { loadHhRlhf } from "../src/hh-rlhf.js";
import { FIXTURES, HH_RLHF } from "./paths.js";

const CRAFTED = join(FIXTURES, "hh-crafted.jsonl");

describe("loadHhRlhf", () => {
  it("loads the real gzip test split: 2,312 pairs, no ties, chosen placed by a seeded coin", async () => {
    const { table, problems } = await loadHhRlhf(await openFile(HH_RLHF), { fileName: HH_RLHF });
    expect(table.numRows()).toBe(2312);
    const labels = table.array("label", Int8Array) as Int8Array;
    const a = labels.filter((l) => l === 0).length;
    const b = labels.filter((l) => l === 1).length;
    expect(a + b).toBe(2312);
    // a fair coin over 2,312 rows: within 4 standard deviations (±96) of half
    expect(Math.abs(a - 1156)).toBeLessThan(96);
    // counted independently with Python (same speaker split) on this file
    expect(problems.divergentDialogues.count).toBe(5);
    expect(problems.irregularDialogues.count).toBe(9);
    const again = await loadHhRlhf(await openFile(HH_RLHF), { fileName: HH_RLHF });
    expect(again.table.array("label", Int8Array)).toEqual(labels);
  });

  it("splits dialogues by speaker and aligns turns; chosenAs fixes the side", async () => {
    const chosenA = await loadHhRlhf(await openFile(CRAFTED), { chosenAs: "a" });
    expect(chosenA.table.object(0)).toEqual({
      id: "1",
      modelA: null,
      modelB: null,
      prompt: ["hi", "how are you?"],
      responseA: ["hello", "fine, thanks"],
      responseB: ["hello", "go away"],
      label: 0,
    });
    const chosenB = await loadHhRlhf(await openFile(CRAFTED), { chosenAs: "b" });
    expect(chosenB.table.object(0)).toMatchObject({ responseA: ["hello", "go away"], responseB: ["hello", "fine, thanks"], label: 1 });
    expect(chosenA.problems.irregularDialogues.rows).toEqual([{ id: "2", line: 2 }]);
    expect(chosenA.problems.divergentDialogues.rows.map((r) => r.id)).toEqual(["2", "3"]);
    expect(chosenA.table.object(1)).toMatchObject({ prompt: ["odd"], responseA: ["I start"] });
  });
});
