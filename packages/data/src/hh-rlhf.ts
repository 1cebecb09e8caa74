import type { CsvStats } from "./csv-reader.js";
import { InvalidOptionError } from "./errors.js";
import { readJsonl } from "./jsonl-reader.js";
import { malformed, resolveLoadOptions, type LoadOptions, type LoadResult } from "./load-options.js";
import { parseRecord } from "./pair-jsonl.js";
import { emptyProblemsReport, noteProblem, type RowRef } from "./problems.js";
import { createRandom } from "./random.js";
import { Label } from "./schema.js";
import { PreferenceTableBuilder } from "./table-builder.js";
import { textChunks, type DataSource, type DecodeStats } from "./text-source.js";
import { normalizeTurns, sameTurns, type Turns } from "./turns.js";

/** Options for {@link loadHhRlhf}. */
export interface HhRlhfOptions extends LoadOptions {
  /** Which side the chosen response goes to: always A, always B, or a seeded coin flip per row (so a model cannot learn a position bias). Defaults to `"random"`. */
  chosenAs?: "a" | "b" | "random";
  /** Seed of the coin flip for `chosenAs: "random"`. Defaults to `0`. */
  seed?: number;
}

/** A dialogue split by speaker. */
interface Dialogue {
  human: string[];
  assistant: string[];
  /** Roles did not alternate Human, Assistant, Human, … */
  irregular: boolean;
}

const SPEAKER = /\n\n(Human|Assistant): ?/g;

/**
 * Loads Anthropic HH-RLHF `{chosen, rejected}` JSON Lines (a gzip file is unpacked by the Node entry's
 * `openFile`). Human turns become the prompt, assistant turns the responses; the label is never a tie. Ids are
 * line numbers (the format has none).
 */
export async function loadHhRlhf(source: DataSource, options: HhRlhfOptions = {}): Promise<LoadResult> {
  const { chosenAs = "random", seed = 0, ...loadOptions } = options;
  if (chosenAs !== "a" && chosenAs !== "b" && chosenAs !== "random") {
    throw new InvalidOptionError("chosenAs", chosenAs, '"a", "b" or "random"');
  }
  if (!Number.isInteger(seed)) throw new InvalidOptionError("seed", seed, "an integer");
  const resolved = resolveLoadOptions(loadOptions);
  const problems = emptyProblemsReport(resolved.fileName);
  const builder = new PreferenceTableBuilder(problems);
  const stats: CsvStats = { bom: false, crlfLines: 0 };
  const decoding: DecodeStats = { invalidUtf8: 0 };
  const random = createRandom(seed);
  for await (const item of readJsonl(textChunks(source, decoding), stats)) {
    if (item.kind === "blank") {
      noteProblem(problems, "blankLines", { id: "", line: item.line });
      continue;
    }
    const record = parseRecord(item.text, item.line, resolved, problems);
    if (!record) continue;
    const id = String(item.line);
    const bad = (field: string, expected: string, found: string) =>
      malformed(resolved, problems, { line: item.line, field, expected, found }, id);
    const unknown = Object.keys(record).find((key) => key !== "chosen" && key !== "rejected");
    if (unknown !== undefined) {
      bad(unknown, "only the keys chosen, rejected", `unknown key "${unknown}"`);
      continue;
    }
    const missing = ["chosen", "rejected"].find((key) => typeof record[key] !== "string");
    if (missing !== undefined) {
      bad(missing, 'a dialogue string "\\n\\nHuman: … \\n\\nAssistant: …"', JSON.stringify(record[missing]) ?? "nothing");
      continue;
    }
    const ref: RowRef = { id, line: item.line };
    const chosen = splitDialogue(record.chosen as string);
    const rejected = splitDialogue(record.rejected as string);
    if (chosen.irregular || rejected.irregular) noteProblem(problems, "irregularDialogues", ref);
    const shared = (d: Dialogue) => d.assistant.slice(0, -1);
    if (!sameTurns(chosen.human, rejected.human) || !sameTurns(shared(chosen), shared(rejected))) {
      noteProblem(problems, "divergentDialogues", ref);
    }
    const chosenFirst = chosenAs === "a" || (chosenAs === "random" && random.next() < 0.5);
    const [a, b] = chosenFirst ? [chosen, rejected] : [rejected, chosen];
    const prompt = repaired(chosen.human);
    const responseA = repaired(a.assistant);
    const responseB = repaired(b.assistant);
    builder.add(
      {
        id,
        modelA: null,
        modelB: null,
        prompt: prompt.turns,
        responseA: responseA.turns,
        responseB: responseB.turns,
        label: chosenFirst ? Label.a : Label.b,
      },
      { prompt, responseA, responseB },
      item.line,
    );
  }
  problems.bom = stats.bom;
  problems.crlfLines = stats.crlfLines;
  problems.invalidUtf8 = decoding.invalidUtf8;
  return { table: builder.build(), problems };
}

/** Splits "\n\nHuman: …\n\nAssistant: …" into turns by speaker. */
function splitDialogue(text: string): Dialogue {
  const human: string[] = [];
  const assistant: string[] = [];
  const roles: string[] = [];
  const marks = [...text.matchAll(SPEAKER)];
  let irregular = marks.length === 0 || text.slice(0, marks[0].index).trim() !== "";
  marks.forEach((mark, i) => {
    const end = i + 1 < marks.length ? marks[i + 1].index : text.length;
    const turn = text.slice(mark.index + mark[0].length, end);
    roles.push(mark[1]);
    (mark[1] === "Human" ? human : assistant).push(turn);
  });
  irregular ||= roles.some((role, i) => role !== (i % 2 === 0 ? "Human" : "Assistant"));
  return { human, assistant, irregular };
}

/** Dialogue turns are plain strings; run them through the same repairs (surrogates, blank turns) as JSON cells. */
function repaired(turns: string[]): Turns {
  return normalizeTurns(turns, false) as Turns;
}
