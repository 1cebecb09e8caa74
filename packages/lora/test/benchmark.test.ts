import { describe, expect, it } from "vitest";
import { benchLora, type MatMulReference } from "../src/index.js";

describe("benchLora", () => {
  it("reports forward, backward and merge rows with their flop counts and the reference's rate", async () => {
    const asked: string[] = [];
    const reference: MatMulReference = {
      name: "fixed",
      gflops: async (M, K, N) => {
        asked.push(`${M}x${K}x${N}`);
        return 10;
      },
    };
    const result = await benchLora({ tokens: 16, features: 12, ranks: [2], mergeSize: 20, repeats: 1, reference });
    expect(result.reference).toBe("fixed");
    expect(result.rows.map((r) => `${r.op} ${r.shape}`)).toEqual(["forward 16x12 r=2", "backward 16x12 r=2", "merge 20x20 r=2"]);
    const [fwd, bwd, merge] = result.rows;
    expect(fwd.flops).toBe(2 * 16 * 12 * 12 + 2 * 16 * 12 * 2 + 2 * 16 * 2 * 12);
    expect(bwd.flops).toBe(2 * (12 * 16 * 2 + 16 * 12 * 2 + 2 * 16 * 12 + 16 * 12 * 12 + 16 * 2 * 12));
    expect(merge.flops).toBe(2 * 20 * 2 * 20);
    for (const row of result.rows) {
      expect(row.referenceGflops).toBeCloseTo(10, 10);
      expect(row.gflops).toBeCloseTo(row.flops / (row.ms * 1e6), 10);
    }
    expect(asked).toContain("20x2x20");
  });
});
