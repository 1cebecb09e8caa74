import { describe, expect, it } from "vitest";
import { advancePosition, epochBatches, type DataPosition } from "./data-order.js";

const lengths = Int32Array.from({ length: 103 }, (_, i) => 5 + ((i * 37) % 61));
const options = { seed: 11, batchSize: 4 };

describe("epochBatches", () => {
  it("is a pure function of (seed, epoch): equal for equal inputs, different across epochs and seeds", () => {
    expect(epochBatches(lengths, 2, options)).toEqual(epochBatches(lengths, 2, options));
    expect(epochBatches(lengths, 3, options)).not.toEqual(epochBatches(lengths, 2, options));
    expect(epochBatches(lengths, 2, { ...options, seed: 12 })).not.toEqual(epochBatches(lengths, 2, options));
  });

  it("visits every row once per epoch, in batches of batchSize", () => {
    for (const groupByLength of [true, false]) {
      const batches = epochBatches(lengths, 0, { ...options, groupByLength });
      expect(batches).toHaveLength(26);
      expect(batches.slice(0, -1).every((b) => b.length === 4)).toBe(true);
      const rows = batches.flatMap((b) => Array.from(b)).sort((a, b) => a - b);
      expect(rows).toEqual(Array.from({ length: 103 }, (_, i) => i));
    }
  });

  it("shuffles: no row keeps its index in a plain shuffled order more often than chance allows", () => {
    const order = epochBatches(lengths, 0, { ...options, groupByLength: false }).flatMap((b) => Array.from(b));
    expect(order.filter((row, i) => row === i).length).toBeLessThan(6);
  });
});

describe("advancePosition", () => {
  it("steps through an epoch and rolls over into the next, so a resumed run replays the same batches", () => {
    let position: DataPosition = { epoch: 0, batch: 0 };
    const fed: Int32Array[] = [];
    for (let i = 0; i < 30; i++) {
      fed.push(epochBatches(lengths, position.epoch, options)[position.batch]);
      position = advancePosition(position, 26);
    }
    expect(position).toEqual({ epoch: 1, batch: 4 });
    const resumedAt: DataPosition = { epoch: 0, batch: 25 };
    expect(epochBatches(lengths, resumedAt.epoch, options)[resumedAt.batch]).toEqual(fed[25]);
    const next = advancePosition(resumedAt, 26);
    expect(epochBatches(lengths, next.epoch, options)[next.batch]).toEqual(fed[26]);
  });
});
