import { JudgeTemplateError } from "./errors.js";

/**
 * A pairwise judge prompt. The version goes into every cache key, so a changed prompt never reuses answers
 * given to another one; bump it whenever the wording changes.
 */
export interface JudgeTemplate {
  /** Identifies the wording, e.g. `litee-judge-v1`. */
  readonly version: string;
  /** The system message. */
  readonly system: string;
  /** The user message; must contain `{{conversation_a}}` and `{{conversation_b}}` once each. */
  readonly user: string;
  /** Sent (after the model's own reply) when that reply held no readable verdict. */
  readonly reminder: string;
}

/** One preference pair as the judge sees it: the user turns and each assistant's replies, turn by turn. */
export interface JudgePair {
  /** Row id, carried to predictions and reports. */
  readonly id: string;
  /** User turns. */
  readonly prompt: readonly (string | null)[];
  /** Assistant A's replies, one per turn (`null` = no reply). */
  readonly responseA: readonly (string | null)[];
  /** Assistant B's replies, one per turn (`null` = no reply). */
  readonly responseB: readonly (string | null)[];
}

/** Which assistant is shown first: `ab` as in the data, `ba` swapped (the verdict is mapped back). */
export type JudgeOrder = "ab" | "ba";

/** One OpenAI chat message. */
export interface ChatMessage {
  /** Speaker. */
  readonly role: "system" | "user" | "assistant";
  /** Text. */
  readonly content: string;
}

/**
 * Version 1 of the judge prompt. The verdict is asked as the reply's first and only word so that the first
 * completion token carries it, which is where its top log-probabilities are read.
 */
export const JUDGE_TEMPLATE_V1: JudgeTemplate = {
  version: "litee-judge-v1",
  system:
    "You are an impartial judge of chatbot conversations. You compare two assistants' replies to the same user " +
    "and say which one the user would prefer. Judge helpfulness, correctness, depth, clarity and safety. " +
    "Ignore the order in which the conversations are shown and the length of the replies as such.",
  user: [
    "The same user talked to two AI assistants. Read both conversations.",
    "",
    "<conversation_a>",
    "{{conversation_a}}",
    "</conversation_a>",
    "",
    "<conversation_b>",
    "{{conversation_b}}",
    "</conversation_b>",
    "",
    "Which conversation would the user prefer? Reply with exactly one word: A if conversation A is better, " +
      "B if conversation B is better, tie if they are equally good. Do not explain.",
  ].join("\n"),
  reminder: "Your reply could not be read. Reply with exactly one word, A, B or tie, and nothing else.",
};

const PLACEHOLDER = /\{\{(conversation_a|conversation_b)\}\}/g;

/** Checks a template's fields; `source` names where it came from in errors. */
export function validateJudgeTemplate(template: JudgeTemplate, source: string): JudgeTemplate {
  for (const field of ["version", "system", "user", "reminder"] as const) {
    const value: unknown = template[field];
    if (typeof value !== "string" || value.trim() === "") {
      throw new JudgeTemplateError(source, `field "${field}" must be a non-empty string, got ${JSON.stringify(value)}`);
    }
  }
  for (const name of ["conversation_a", "conversation_b"]) {
    const count = template.user.split(`{{${name}}}`).length - 1;
    if (count !== 1) {
      throw new JudgeTemplateError(source, `field "user" must contain {{${name}}} exactly once, found ${count}`);
    }
  }
  return template;
}

/** Reads a `--template` JSON file's text: `{ "version", "system", "user", "reminder" }`. */
export function parseJudgeTemplate(text: string, source: string): JudgeTemplate {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new JudgeTemplateError(source, `not valid JSON (${(error as Error).message})`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new JudgeTemplateError(source, "expected a JSON object with version, system, user and reminder");
  }
  const record = value as Record<string, unknown>;
  return validateJudgeTemplate(
    {
      version: record.version as string,
      system: record.system as string,
      user: record.user as string,
      reminder: record.reminder as string,
    },
    source,
  );
}

/** The chat messages for one pair in one order, and how many messages had to be cut to `maxMessageChars`. */
export interface RenderedJudgePrompt {
  /** System + user message. */
  readonly messages: readonly ChatMessage[];
  /** User turns and replies cut to the length limit (a counted repair, reported per run). */
  readonly truncated: number;
}

/** Builds the judge's messages for `pair` shown in `order`, cutting each turn to `maxMessageChars` characters. */
export function renderJudgePrompt(
  template: JudgeTemplate,
  pair: JudgePair,
  order: JudgeOrder,
  maxMessageChars: number,
): RenderedJudgePrompt {
  let truncated = 0;
  const cut = (text: string | null, missing: string): string => {
    if (text === null) return missing;
    if (text.length <= maxMessageChars) return text;
    truncated += 1;
    return `${text.slice(0, maxMessageChars)}\n[… ${text.length - maxMessageChars} more characters cut]`;
  };
  const turns = Math.max(pair.prompt.length, pair.responseA.length, pair.responseB.length);
  const userTurns = Array.from({ length: turns }, (_, t) => cut(pair.prompt[t] ?? null, "(no message)"));
  const conversation = (replies: readonly (string | null)[]): string =>
    userTurns.map((turn, t) => `User: ${turn}\n\nAssistant: ${cut(replies[t] ?? null, "(no reply)")}`).join("\n\n");
  const first = conversation(order === "ab" ? pair.responseA : pair.responseB);
  const second = conversation(order === "ab" ? pair.responseB : pair.responseA);
  // One pass, so that a conversation quoting "{{conversation_b}}" is never substituted a second time.
  const user = template.user.replace(PLACEHOLDER, (_match, name: string) =>
    name === "conversation_a" ? first : second,
  );
  return {
    messages: [
      { role: "system", content: template.system },
      { role: "user", content: user },
    ],
    truncated,
  };
}
