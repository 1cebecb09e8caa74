import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { InvalidOptionError } from "../src/errors.js";
import { allocate, formatPair, keepLastTurns } from "../src/format-pair.js";
import { loadTokenizer } from "../src/tokenizer-files.js";
import type { TextTokenizer } from "../src/tokenizer.js";
import { TOKENIZERS } from "./paths.js";

describe("allocate (water-filling of the token room)", () => {
  it.each([
    // needs, room → allowed (hand-computed with shares 0.2 / 0.4 / 0.4)
    [[5, 5, 5], 100, [5, 5, 5]], // everything fits
    [[10, 100, 100], 100, [10, 45, 45]], // prompt needs 10 of its 20; the 10 left split 5 / 5
    [[50, 10, 200], 100, [30, 10, 60]], // A needs 10 of 40; 90 left shared 1 : 2 between prompt and B
    [[100, 100, 100], 10, [2, 4, 4]],
    [[100, 100, 100], 11, [3, 4, 4]], // floor(2.2), floor(4.4), floor(4.4) leave 1, given in part order
  ])("needs %j in room %i → %j", (needs, room, expected) => {
    expect(allocate(needs, [0.2, 0.4, 0.4], room)).toEqual(expected);
  });
});

describe("keepLastTurns", () => {
  const turns = [[1, 2, 3], [4, 5], [6, 7, 8, 9]];
  it.each([
    [100, [1, 2, 3, 0, 4, 5, 0, 6, 7, 8, 9]],
    [7, [4, 5, 0, 6, 7, 8, 9]], // the first turn goes
    [6, [4, 0, 6, 7, 8, 9]], // the oldest kept turn keeps its head
    [5, [6, 7, 8, 9]], // no room for a separator plus a token
    [3, [6, 7, 8]], // the last turn alone is cut to its head
  ])("budget %i → %j", (budget, expected) => {
    expect(keepLastTurns(turns, [0], budget)).toEqual(expected);
  });
});

describe("formatPair", () => {
  let bert: TextTokenizer;
  let gpt2: TextTokenizer;
  beforeAll(async () => {
    [bert, gpt2] = await Promise.all([loadTokenizer(join(TOKENIZERS, "bert-minilm")), loadTokenizer(join(TOKENIZERS, "gpt2"))]);
  });
  const row = {
    prompt: ["What is the capital of France?", "And of Italy?"],
    responseA: ["Paris.", "Rome."],
    responseB: ["It is Paris.", "Milan, I think."],
  };

  it("lays out specials, template text and turns exactly when everything fits", () => {
    const out = formatPair(row, "arena", bert, { maxLength: 512 });
    const e = (text: string) => bert.encode(text);
    const expected = [
      101,
      ...e("<prompt>: "), ...e(row.prompt[0]), ...e("\n\n"), ...e(row.prompt[1]),
      ...e("\n\n<response_a>: "), ...e(row.responseA[0]), ...e("\n\n"), ...e(row.responseA[1]),
      ...e("\n\n<response_b>: "), ...e(row.responseB[0]), ...e("\n\n"), ...e(row.responseB[1]),
      102,
    ];
    expect(Array.from(out.inputIds)).toEqual(expected);
    expect(Array.from(out.attentionMask)).toEqual(new Array(expected.length).fill(1));
    expect(out.lost).toEqual({ prompt: 0, responseA: 0, responseB: 0 });
  });

  it("truncates to maxLength, keeping the last turns, and reports what each part lost", () => {
    const long = {
      prompt: ["an old question " + "x ".repeat(200), "the latest question"],
      responseA: ["word ".repeat(300)],
      responseB: ["short answer"],
    };
    const maxLength = 64;
    const out = formatPair(long, "{prompt}|{response_a}|{response_b}", gpt2, { maxLength });
    expect(out.inputIds.length).toBe(maxLength);
    const sep = gpt2.encode("\n\n").length;
    const needs = {
      prompt: gpt2.encode(long.prompt[0]).length + sep + gpt2.encode(long.prompt[1]).length,
      responseA: gpt2.encode(long.responseA[0]).length,
      responseB: gpt2.encode(long.responseB[0]).length,
    };
    const room = maxLength - 2 * gpt2.encode("|").length;
    const [p, a, b] = allocate([needs.prompt, needs.responseA, needs.responseB], [0.2, 0.4, 0.4], room);
    expect(out.lost).toEqual({ prompt: needs.prompt - p, responseA: needs.responseA - a, responseB: needs.responseB - b });
    expect(out.lost.responseB).toBe(0);
    // the prompt keeps the whole latest question at its end
    const latest = [...gpt2.encode("\n\n"), ...gpt2.encode("the latest question")];
    expect(Array.from(out.inputIds.subarray(p - latest.length, p))).toEqual(latest);
  });

  it("pads to maxLength with the pad id and a zero mask", () => {
    const out = formatPair(row, "plain", bert, { maxLength: 80, pad: true });
    const used = out.attentionMask.reduce((sum, m) => sum + m, 0);
    expect(out.inputIds.length).toBe(80);
    expect(out.inputIds[used - 1]).toBe(102);
    expect(Array.from(out.inputIds.subarray(used))).toEqual(new Array(80 - used).fill(0));
    expect(Array.from(out.attentionMask.subarray(used))).toEqual(new Array(80 - used).fill(0));
  });

  it("rejects templates without each placeholder once, bad shares and a budget too small for the template", () => {
    expect(() => formatPair(row, "{prompt} {response_a}", bert, { maxLength: 64 })).toThrow(InvalidOptionError);
    expect(() => formatPair(row, "{prompt}{prompt}{response_a}{response_b}", bert, { maxLength: 64 })).toThrow(/repeats/);
    expect(() => formatPair(row, "arena", bert, { maxLength: 64, shares: [0.5, 0.5, 0.5] })).toThrow(/summing to 1/);
    expect(() => formatPair(row, "arena", bert, { maxLength: 10 })).toThrow(/maxLength/);
  });
});
