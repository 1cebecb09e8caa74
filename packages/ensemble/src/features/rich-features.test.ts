import { describe, expect, it } from "vitest";
import { swapPair } from "./pair-text.js";
import { RICH_FEATURES, richFeatures } from "./rich-features.js";
import { jaccard, profileText } from "./text-profile.js";

const col = (name: string) => {
  const j = RICH_FEATURES.findIndex((f) => f.name === name);
  if (j < 0) throw new Error(`no feature ${name}`);
  return j;
};

const structured = [
  "# Plan",
  "",
  "Here are **three** steps:",
  "",
  "1. Install node 24.",
  "2) Run `pnpm i`.",
  "- check the __lock__ file",
  "* done",
  "```sh",
  "pnpm test",
  "```",
].join("\n");

describe("profileText", () => {
  it("counts structure markers in a crafted markdown answer", () => {
    const p = profileText(structured);
    expect(p.headers).toBe(1);
    expect(p.numbered).toBe(2);
    expect(p.bullets).toBe(2);
    expect(p.bold).toBe(2);
    expect(p.codeFences).toBe(2);
    expect(p.newlines).toBe(10);
    expect(p.digits).toBe(4);
    expect(p.refusal).toBe(false);
    expect(p.empty).toBe(false);
    expect(p.chars).toBe(structured.length);
  });

  it("counts words, distinct words and sentences", () => {
    const p = profileText("The cat sat. The cat didn't run! Why? ok");
    expect(p.words).toBe(9);
    expect(p.vocabulary.size).toBe(7);
    expect(p.sentences).toBe(3);
  });

  it("flags refusals at the start in several languages, but not late apologies", () => {
    for (const text of [
      "I'm sorry, but I can't help with that.",
      "As an AI language model, I do not have opinions.",
      "I cannot provide instructions for this.",
      "Lo siento, no puedo ayudar con eso.",
      "Désolé, je ne peux pas répondre.",
      "Извините, я не могу ответить.",
      "抱歉，我无法回答这个问题。",
      "申し訳ありませんが、お答えできません。",
    ]) {
      expect(profileText(text).refusal, text).toBe(true);
    }
    expect(profileText("Sure! Here is a poem about cats.").refusal).toBe(false);
    expect(profileText(`${"Long helpful answer. ".repeat(30)}I'm sorry if that was too long.`).refusal).toBe(false);
  });

  it("treats whitespace-only text as empty", () => {
    expect(profileText(" \n\t").empty).toBe(true);
    expect(profileText("").words).toBe(0);
  });
});

describe("jaccard", () => {
  it("is |A∩B| / |A∪B| with 0 for two empty sets", () => {
    expect(jaccard(new Set(["a", "b", "c"]), new Set(["b", "c", "d", "e"]))).toBeCloseTo(2 / 5, 15);
    expect(jaccard(new Set(), new Set())).toBe(0);
  });
});

describe("richFeatures", () => {
  it("documents every column once", () => {
    const names = RICH_FEATURES.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    for (const f of RICH_FEATURES) expect(f.doc.length).toBeGreaterThan(5);
    expect(RICH_FEATURES.length).toBe(31);
  });

  it("computes differences, sums and pair columns by hand-checkable values", () => {
    const row = { prompt: ["Name three cats", "and dogs?"], responseA: ["cats: tom, felix"], responseB: ["I'm sorry, I cannot.", ""] };
    const x = richFeatures([row]);
    const v = (name: string) => x.data[col(name)];
    const lenA = "cats: tom, felix".length;
    const lenB = "I'm sorry, I cannot.\n\n".length;
    expect(v("log_chars_diff")).toBeCloseTo(Math.log1p(lenA) - Math.log1p(lenB), 15);
    expect(v("log_chars_sum")).toBeCloseTo(Math.log1p(lenA) + Math.log1p(lenB), 15);
    expect(v("refusal_diff")).toBe(-1);
    expect(v("refusal_sum")).toBe(1);
    expect(v("newlines_diff")).toBeCloseTo(-Math.log1p(2), 15);
    // Prompt words {name, three, cats, and, dogs}; A's {cats, tom, felix}: 1 shared of 7.
    expect(v("prompt_overlap_diff")).toBeCloseTo(1 / 7 - 0, 15);
    expect(v("prompt_log_chars")).toBeCloseTo(Math.log1p("Name three cats\n\nand dogs?".length), 15);
    expect(v("turns")).toBeCloseTo(Math.log(2), 15);
    expect(v("identical")).toBe(0);
    expect(richFeatures([{ ...row, responseB: row.responseA }]).data[col("identical")]).toBe(1);
  });

  it("negates exactly the difference columns when A and B are swapped", () => {
    const rows = [
      { prompt: ["Explain"], responseA: [structured], responseB: ["Short answer 42."] },
      { prompt: ["Hola"], responseA: ["Lo siento, no puedo."], responseB: ["¡Hola! ¿Qué tal?"] },
    ];
    const x = richFeatures(rows);
    const s = richFeatures(rows.map(swapPair));
    for (let i = 0; i < x.data.length; i++) {
      const f = RICH_FEATURES[i % x.cols];
      expect(s.data[i]).toBe(f.swap === "negate" ? -x.data[i] + 0 : x.data[i]);
    }
  });
});
