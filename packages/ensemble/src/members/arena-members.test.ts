import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { swapPair } from "../features/pair-text.js";
import { readArenaRows } from "../io/files.js";
import { GbdtMember } from "./gbdt-member.js";
import type { PairRow } from "./pair-row.js";
import { RichLrMember } from "./rich-lr-member.js";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");
const arena = join(repoRoot, "..", "shared", "data", "arena", "train_dev.csv");

function logLoss(p: Float64Array, rows: readonly PairRow[]): number {
  return -rows.reduce((s, r, i) => s + Math.log(p[i * 3 + (r.label as number)]), 0) / rows.length;
}

// The real arena rows: multi-turn prompts, empty responses, many languages. Every 5th row is held out.
let train: PairRow[];
let test: PairRow[];
let priorLoss: number;
beforeAll(async () => {
  const rows = await readArenaRows(arena);
  train = rows.filter((_, i) => i % 5 !== 0);
  test = rows.filter((_, i) => i % 5 === 0);
  const prior = [0, 1, 2].map((c) => train.filter((r) => r.label === c).length / train.length);
  priorLoss = -test.reduce((s, r) => s + Math.log(prior[r.label as number]), 0) / test.length;
});

describe.each([
  ["gbdt", (rows: PairRow[]) => GbdtMember.fit(rows)],
  ["rich-lr", (rows: PairRow[]) => RichLrMember.fit(rows)],
] as const)("%s member on the real arena rows", (_name, fit) => {
  it("beats the class prior on held-out rows and stays exactly swap-symmetric", () => {
    const member = fit(train);
    const p = member.predict(test);
    // 5-fold CV puts both members about 0.045–0.05 below the prior; a 300-row holdout is noisier.
    expect(logLoss(p, test)).toBeLessThan(priorLoss - 0.01);
    const q = member.predict(test.map(swapPair));
    for (let i = 0; i < test.length; i++) {
      expect([q[3 * i], q[3 * i + 1], q[3 * i + 2]]).toEqual([p[3 * i + 1], p[3 * i], p[3 * i + 2]]);
    }
  });
});
