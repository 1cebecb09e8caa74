import { describe, expect, it } from "vitest";
import { JudgeTemplateError } from "./errors.js";
import { JUDGE_TEMPLATE_V1, parseJudgeTemplate, renderJudgePrompt, type JudgePair } from "./prompt-template.js";

const pair: JudgePair = {
  id: "7",
  prompt: ["Hi", "And {{conversation_b}}?"],
  responseA: ["Hello from A", null],
  responseB: ["Hello from B", "second B"],
};

const template = { version: "t1", system: "S", user: "<a>{{conversation_a}}</a><b>{{conversation_b}}</b>", reminder: "R" };

describe("renderJudgePrompt", () => {
  it("lays out both conversations turn by turn and swaps them for the ba order", () => {
    const ab = renderJudgePrompt(template, pair, "ab", 100);
    const convA = "User: Hi\n\nAssistant: Hello from A\n\nUser: And {{conversation_b}}?\n\nAssistant: (no reply)";
    const convB = "User: Hi\n\nAssistant: Hello from B\n\nUser: And {{conversation_b}}?\n\nAssistant: second B";
    expect(ab.messages).toEqual([
      { role: "system", content: "S" },
      { role: "user", content: `<a>${convA}</a><b>${convB}</b>` },
    ]);
    expect(renderJudgePrompt(template, pair, "ba", 100).messages[1]!.content).toBe(`<a>${convB}</a><b>${convA}</b>`);
    expect(ab.truncated).toBe(0);
  });

  it("cuts long turns and counts each cut once", () => {
    const long = { ...pair, prompt: ["x".repeat(12)], responseA: ["y".repeat(11)], responseB: ["z".repeat(10)] };
    const out = renderJudgePrompt(template, long, "ab", 10);
    expect(out.truncated).toBe(2);
    expect(out.messages[1]!.content).toContain(`User: ${"x".repeat(10)}\n[… 2 more characters cut]`);
    expect(out.messages[1]!.content).toContain(`Assistant: ${"z".repeat(10)}</b>`);
  });

  it("asks V1 for a one-word verdict", () => {
    expect(JUDGE_TEMPLATE_V1.version).toBe("litee-judge-v1");
    expect(JUDGE_TEMPLATE_V1.user).toMatch(/exactly one word: A .* B .* tie/);
  });
});

describe("parseJudgeTemplate", () => {
  it("reads a template file", () => {
    expect(parseJudgeTemplate(JSON.stringify(template), "t.json")).toEqual(template);
  });

  it.each([
    [{ ...template, version: "" }, /t\.json: field "version" must be a non-empty string/],
    [{ ...template, user: "{{conversation_a}}" }, /must contain \{\{conversation_b\}\} exactly once, found 0/],
    [{ ...template, user: "{{conversation_a}}{{conversation_a}}{{conversation_b}}" }, /conversation_a\}\} exactly once, found 2/],
  ])("names the problem in %j", (value, message) => {
    expect(() => parseJudgeTemplate(JSON.stringify(value), "t.json")).toThrow(message);
  });

  it("rejects text that is not JSON", () => {
    expect(() => parseJudgeTemplate("version: 1", "t.json")).toThrow(JudgeTemplateError);
  });
});
