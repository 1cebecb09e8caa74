import { table } from "arquero";
import { describe, expect, it } from "vitest";
import { swapAB } from "../src/swap.js";

const pairs = table({
  id: ["1", "2", "3", "4"],
  modelA: ["ma", "ma", null, "ma"],
  modelB: ["mb", "mb", null, "mb"],
  prompt: [["p1"], ["p2"], ["p3"], ["p4"]],
  responseA: [["a1"], ["a2"], ["a3"], ["a4"]],
  responseB: [["b1"], ["b2"], ["b3"], ["b4"]],
  label: Int8Array.from([0, 1, 2, -1]),
});

describe("swapAB", () => {
  it("exchanges responses and models, maps A ↔ B and keeps ties and unlabelled rows", () => {
    const swapped = swapAB(pairs);
    expect(swapped.object(0)).toEqual({ id: "1", modelA: "mb", modelB: "ma", prompt: ["p1"], responseA: ["b1"], responseB: ["a1"], label: 1 });
    expect(Array.from(swapped.array("label", Int8Array) as Int8Array)).toEqual([1, 0, 2, -1]);
    expect(swapped.column("label")).toBeInstanceOf(Int8Array);
  });

  it("is its own inverse", () => {
    expect(swapAB(swapAB(pairs)).objects()).toEqual(pairs.objects());
  });
});
