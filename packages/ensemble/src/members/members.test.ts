import { describe, expect, it } from "vitest";
import { ModelFormatError } from "../errors.js";
import { swapPair } from "../features/pair-text.js";
import { Rng } from "@lora-litee/lora";
import { GbdtMember } from "./gbdt-member.js";
import type { PairRow, PreferenceLabel } from "./pair-row.js";
import { loadMember, trainMember } from "./registry.js";
import { RichLrMember } from "./rich-lr-member.js";

const WORDS = ["alpha", "beta", "gamma", "delta", "tree", "leaf", "node", "split", "gain", "loss"];

/** Pairs where the longer answer usually wins, a refusal usually loses, and near-equal lengths tie. */
function syntheticPairs(n: number, seed: number): PairRow[] {
  const rng = new Rng(seed);
  const text = (words: number) => Array.from({ length: words }, () => WORDS[rng.nextInt(WORDS.length)]).join(" ") + ".";
  return Array.from({ length: n }, (_, i) => {
    const a = 3 + rng.nextInt(60);
    const b = 3 + rng.nextInt(60);
    const refuseA = rng.nextFloat() < 0.15;
    const responseA = [refuseA ? `I'm sorry, I cannot help. ${text(a)}` : text(a)];
    const responseB = [text(b)];
    let label = Math.abs(a - b) < 8 ? 2 : a > b ? 0 : 1;
    if (refuseA) label = 1;
    if (rng.nextFloat() < 0.1) label = rng.nextInt(3);
    return { id: `r${i}`, prompt: [text(5)], responseA, responseB, label: label as PreferenceLabel };
  });
}

function logLoss(p: Float64Array, rows: readonly PairRow[]): number {
  return -rows.reduce((s, r, i) => s + Math.log(p[i * 3 + (r.label as number)]), 0) / rows.length;
}

const train = syntheticPairs(400, 1);
const test = syntheticPairs(200, 2);
const members = [
  ["gbdt", () => GbdtMember.fit(train, { maxRounds: 150, learningRate: 0.1 }), GbdtMember.fromJSON],
  ["rich-lr", () => RichLrMember.fit(train), RichLrMember.fromJSON],
] as const;

describe.each(members)("%s member", (_name, fit, load) => {
  const member = fit();
  const p = member.predict(test);

  it("learns the rule well beyond the class prior", () => {
    const prior = [0, 1, 2].map((c) => train.filter((r) => r.label === c).length / train.length);
    const priorLoss = -test.reduce((s, r) => s + Math.log(prior[r.label as number]), 0) / test.length;
    expect(logLoss(p, test)).toBeLessThan(priorLoss - 0.25);
  });

  it("swaps the A/B probabilities exactly when A and B are swapped", () => {
    const q = member.predict(test.map(swapPair));
    for (let i = 0; i < test.length; i++) {
      expect(q[i * 3]).toBe(p[i * 3 + 1]);
      expect(q[i * 3 + 1]).toBe(p[i * 3]);
      expect(q[i * 3 + 2]).toBe(p[i * 3 + 2]);
      expect(p[i * 3] + p[i * 3 + 1] + p[i * 3 + 2]).toBeCloseTo(1, 12);
    }
  });

  it("reloads from JSON text to identical predictions and names its features", () => {
    const reloaded = load(JSON.parse(JSON.stringify(member)));
    expect(Array.from(reloaded.predict(test))).toEqual(Array.from(p));
    const importances = member.importances();
    expect(importances.reduce((s, f) => s + f.importance, 0)).toBeCloseTo(1, 12);
    // Length and refusal drive the labels; they should lead the importances.
    expect(importances.slice(0, 6).map((f) => f.name)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^(log_chars|log_words|sentences)_diff$/), "refusal_diff"]),
    );
  });

  it("rejects a saved member computed with other features", () => {
    const json = JSON.parse(JSON.stringify(member));
    json.features[3] = "something_else";
    expect(() => load(json)).toThrow(ModelFormatError);
    expect(() => load(json)).toThrow(/feature 3 is "something_else"/);
  });
});

describe("member training input", () => {
  it("names the training row without a label", () => {
    const rows = [...train.slice(0, 5), { ...train[5], id: "bad-row", label: undefined }];
    expect(() => RichLrMember.fit(rows)).toThrow(/row 6 \(id "bad-row"\) has no label/);
    expect(() => GbdtMember.fit(rows)).toThrow(/row 6 \(id "bad-row"\) has no label/);
  });

  it("is reachable by kind through the member registry", () => {
    const member = trainMember("rich-lr", train.slice(0, 200));
    expect(member.kind).toBe("rich-lr");
    const reloaded = loadMember(JSON.parse(JSON.stringify(member)));
    expect(reloaded.kind).toBe("rich-lr");
    expect(Array.from(reloaded.predict(test))).toEqual(Array.from(member.predict(test)));
    const gbdt = loadMember(JSON.parse(JSON.stringify(trainMember("gbdt", train, { maxRounds: 5 }))));
    expect(gbdt.kind).toBe("gbdt");
  });
});
