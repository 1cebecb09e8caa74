import { readJsonl } from "./jsonl-reader.js";
import type { CsvStats } from "./csv-reader.js";
import { malformed, resolveLoadOptions, type LoadOptions, type LoadResult, type ResolvedLoadOptions } from "./load-options.js";
import { emptyProblemsReport, noteProblem, type ProblemsReport } from "./problems.js";
import type { LabelValue } from "./schema.js";
import { PreferenceTableBuilder } from "./table-builder.js";
import { textChunks, type DataSource, type DecodeStats } from "./text-source.js";
import { isTurnsError, normalizeTurns, type Turns } from "./turns.js";

const KEYS = ["id", "model_a", "model_b", "prompt", "response_a", "response_b", "label"];

/**
 * Loads JSON Lines of `{prompt, response_a, response_b, label}` (label 0 = A, 1 = B, 2 = tie; `id`, `model_a`,
 * `model_b` optional; prompt and responses a string or a list of turns). Rows without `id` get their line number.
 */
export async function loadPairJsonl(source: DataSource, options?: LoadOptions): Promise<LoadResult> {
  const resolved = resolveLoadOptions(options);
  const problems = emptyProblemsReport(resolved.fileName);
  const builder = new PreferenceTableBuilder(problems);
  const stats: CsvStats = { bom: false, crlfLines: 0 };
  const decoding: DecodeStats = { invalidUtf8: 0 };
  for await (const item of readJsonl(textChunks(source, decoding), stats)) {
    if (item.kind === "blank") {
      noteProblem(problems, "blankLines", { id: "", line: item.line });
      continue;
    }
    const record = parseRecord(item.text, item.line, resolved, problems);
    if (!record) continue;
    const id = record.id === undefined ? String(item.line) : String(record.id);
    const bad = (field: string, expected: string, found: string) =>
      malformed(resolved, problems, { line: item.line, field, expected, found }, id);
    const unknown = Object.keys(record).find((key) => !KEYS.includes(key));
    if (unknown !== undefined) {
      bad(unknown, `only the keys ${KEYS.join(", ")}`, `unknown key "${unknown}"`);
      continue;
    }
    const cells: Turns[] = [];
    for (const name of ["prompt", "response_a", "response_b"] as const) {
      const turns = normalizeTurns(record[name], true);
      if (isTurnsError(turns)) {
        bad(name, turns.expected, turns.found);
        break;
      }
      cells.push(turns);
    }
    if (cells.length < 3) continue;
    const label = record.label;
    if (label !== 0 && label !== 1 && label !== 2) {
      bad("label", "0 (A), 1 (B) or 2 (tie)", JSON.stringify(label) ?? "nothing");
      continue;
    }
    const [prompt, responseA, responseB] = cells;
    builder.add(
      {
        id,
        modelA: typeof record.model_a === "string" ? record.model_a : null,
        modelB: typeof record.model_b === "string" ? record.model_b : null,
        prompt: prompt.turns,
        responseA: responseA.turns,
        responseB: responseB.turns,
        label: label as LabelValue,
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

/** Parses one JSONL line into an object, or reports it as malformed and returns undefined. */
export function parseRecord(
  text: string,
  line: number,
  options: ResolvedLoadOptions,
  problems: ProblemsReport,
): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    malformed(options, problems, { line, field: "(record)", expected: "a JSON object", found: `invalid JSON (${(error as Error).message})` });
    return undefined;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    malformed(options, problems, { line, field: "(record)", expected: "a JSON object", found: Array.isArray(value) ? "a list" : String(value) });
    return undefined;
  }
  return value as Record<string, unknown>;
}
