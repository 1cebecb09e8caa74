import { InvalidOptionError } from "./errors.js";

/** Which part of a pair a template slot holds. */
export type PairPart = "prompt" | "responseA" | "responseB";

/** How a pair is laid out as text: literal text around `{prompt}`, `{response_a}` and `{response_b}`. */
export interface PairTemplate {
  /** Template text; each of the three placeholders must appear exactly once. */
  text: string;
  /** Text placed between the turns of a multi-turn part. */
  turnSeparator: string;
}

/** Built-in templates, by name. */
export const TEMPLATES = {
  /** The layout of the LoRA-LiteE Kaggle solution. */
  arena: {
    text: "<prompt>: {prompt}\n\n<response_a>: {response_a}\n\n<response_b>: {response_b}",
    turnSeparator: "\n\n",
  },
  /** The three parts separated by blank lines, no labels. */
  plain: { text: "{prompt}\n\n{response_a}\n\n{response_b}", turnSeparator: "\n\n" },
} as const satisfies Record<string, PairTemplate>;

/** A name from {@link TEMPLATES}. */
export type TemplateName = keyof typeof TEMPLATES;

/** A template split into literal text and slots, in order. */
export type TemplatePiece = { literal: string } | { part: PairPart };

const PLACEHOLDERS: Record<string, PairPart> = {
  "{prompt}": "prompt",
  "{response_a}": "responseA",
  "{response_b}": "responseB",
};

/** Resolves a name or a custom template text / object and splits it into pieces. */
export function parseTemplate(template: TemplateName | string | PairTemplate): {
  pieces: TemplatePiece[];
  turnSeparator: string;
} {
  const resolved: PairTemplate =
    typeof template === "string"
      ? Object.hasOwn(TEMPLATES, template)
        ? TEMPLATES[template as TemplateName]
        : { text: template, turnSeparator: "\n\n" }
      : template;
  const pieces: TemplatePiece[] = [];
  const seen = new Set<PairPart>();
  let last = 0;
  for (const match of resolved.text.matchAll(/\{prompt\}|\{response_a\}|\{response_b\}/g)) {
    const part = PLACEHOLDERS[match[0]];
    if (seen.has(part)) throw new InvalidOptionError("template", resolved.text, `each placeholder once, but ${match[0]} repeats`);
    seen.add(part);
    if (match.index > last) pieces.push({ literal: resolved.text.slice(last, match.index) });
    pieces.push({ part });
    last = match.index + match[0].length;
  }
  if (last < resolved.text.length) pieces.push({ literal: resolved.text.slice(last) });
  if (seen.size !== 3) {
    throw new InvalidOptionError(
      "template",
      resolved.text,
      `a template name (${Object.keys(TEMPLATES).join(", ")}) or text with {prompt}, {response_a} and {response_b}`,
    );
  }
  return { pieces, turnSeparator: resolved.turnSeparator };
}
