import { describe, expect, it } from "vitest";
import { BatchError, lengthGroupedBatches, padBatch, sequentialBatches } from "./batching.js";

const i32 = (...values: number[]) => Int32Array.from(values);

describe("padBatch", () => {
  it("pads on the right to the longest row, rounded up to the multiple", () => {
    const sequences = [i32(1, 2, 3), [4], i32(5, 6)];
    const batch = padBatch(sequences, i32(2, 0), { padTokenId: 9, padToMultipleOf: 4 }, [0, 1, 2]);
    expect([batch.batch, batch.seq]).toEqual([2, 4]);
    expect(batch.inputIds).toEqual(i32(5, 6, 9, 9, 1, 2, 3, 9));
    expect(batch.attentionMask).toEqual(Uint8Array.from([1, 1, 0, 0, 1, 1, 1, 0]));
    expect(batch.lastPositions).toEqual(i32(1, 2));
    expect(batch.rows).toEqual(i32(2, 0));
    expect(batch.labels).toEqual(i32(2, 0));
    expect(padBatch(sequences, i32(1), { padTokenId: 0 }).seq).toBe(1);
  });

  it("refuses an empty row naming it", () => {
    expect(() => padBatch([i32(1), i32()], i32(0, 1), { padTokenId: 0 })).toThrow(new BatchError("row 1 has no tokens; every row needs at least one"));
  });
});

describe("lengthGroupedBatches", () => {
  const lengths = [5, 1, 9, 3, 7, 2, 8, 4];

  it("sorts each megabatch longest first and cuts it into batches", () => {
    const batches = lengthGroupedBatches(lengths, i32(0, 1, 2, 3, 4, 5, 6, 7), { batchSize: 2, megabatchMultiplier: 2 });
    expect(batches).toEqual([i32(2, 0), i32(3, 1), i32(6, 4), i32(7, 5)]);
  });

  it("moves the longest row of all to the front, as HF does", () => {
    const batches = lengthGroupedBatches(lengths, i32(4, 5, 6, 7, 0, 1, 2, 3), { batchSize: 2, megabatchMultiplier: 2 });
    expect(batches).toEqual([i32(2, 4), i32(7, 5), i32(6, 0), i32(3, 1)]);
  });

  it("keeps every row exactly once and pads less than the shuffled order", () => {
    const count = 400;
    const lengths = Int32Array.from({ length: count }, (_, i) => 1 + ((i * 7919) % 97));
    const permutation = Int32Array.from({ length: count }, (_, i) => (i * 211) % count);
    const grouped = lengthGroupedBatches(lengths, permutation, { batchSize: 8 });
    expect(Array.from(grouped.flatMap((b) => Array.from(b))).sort((a, b) => a - b)).toEqual(Array.from({ length: count }, (_, i) => i));
    const padding = (batches: Int32Array[]) =>
      batches.reduce((sum, b) => sum + b.length * Math.max(...Array.from(b, (r) => lengths[r])) - b.reduce((s, r) => s + lengths[r], 0), 0);
    expect(padding(grouped)).toBeLessThan(padding(sequentialBatches(permutation, 8)) / 3);
  });

  it("rejects a batch size below 1", () => {
    expect(() => lengthGroupedBatches(lengths, i32(0), { batchSize: 0 })).toThrow(/batchSize/);
  });
});
