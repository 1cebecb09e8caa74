import { readCsv, type CsvStats } from "./csv-reader.js";
import { DataFormatError } from "./errors.js";
import { malformed, resolveLoadOptions, type LoadOptions, type LoadResult } from "./load-options.js";
import { emptyProblemsReport, noteProblem, type ProblemsReport } from "./problems.js";
import { Label, type LabelValue } from "./schema.js";
import { labelFromFlags, PreferenceTableBuilder } from "./table-builder.js";
import { isTurnsError, parseTurnCell, type Turns } from "./turns.js";
import { textChunks, type DataSource, type DecodeStats } from "./text-source.js";

const REQUIRED = ["id", "prompt", "response_a", "response_b"] as const;
const MODELS = ["model_a", "model_b"] as const;
const WINNERS = ["winner_model_a", "winner_model_b", "winner_tie"] as const;
const KNOWN: readonly string[] = [...REQUIRED, ...MODELS, ...WINNERS];

/** Where each known column sits in a record (-1 when absent). */
type ColumnIndex = Record<(typeof KNOWN)[number], number>;

/**
 * Loads the Kaggle "LMSYS Chatbot Arena" layout (`train.csv` with models and winner flags, or `test.csv`
 * without them; an unnamed leading index column is tolerated) into a preference table, streaming the input.
 */
export async function loadArena(source: DataSource, options?: LoadOptions): Promise<LoadResult> {
  const resolved = resolveLoadOptions(options);
  const problems = emptyProblemsReport(resolved.fileName);
  const stats: CsvStats = { bom: false, crlfLines: 0 };
  const decoding: DecodeStats = { invalidUtf8: 0 };
  const builder = new PreferenceTableBuilder(problems);
  const models = new StringPool();
  let columns: ColumnIndex | undefined;
  let width = 0;

  for await (const item of readCsv(textChunks(source, decoding), stats)) {
    if (item.kind === "blank") {
      if (columns) noteProblem(problems, "blankLines", { id: "", line: item.line });
      continue;
    }
    if (item.kind === "malformed") {
      malformed(resolved, problems, { line: item.line, field: "(record)", expected: item.expected, found: item.found });
      continue;
    }
    if (!columns) {
      columns = readHeader(item.fields, resolved.fileName, problems);
      width = item.fields.length;
      continue;
    }
    const { fields, line } = item;
    const id = fields[columns.id] ?? "";
    if (fields.length !== width) {
      malformed(
        resolved,
        problems,
        { line, field: "(record)", expected: `${width} fields like the header`, found: `${fields.length} fields` },
        id,
      );
      continue;
    }
    const bad = (field: string, expected: string, found: string) =>
      malformed(resolved, problems, { line, field, expected, found }, id);
    if (id.length === 0) {
      bad("id", "a non-empty id", '""');
      continue;
    }
    const cells: Turns[] = [];
    let ok = true;
    for (const name of ["prompt", "response_a", "response_b"] as const) {
      const parsed = parseTurnCell(fields[columns[name]]);
      if (isTurnsError(parsed)) {
        bad(name, parsed.expected, parsed.found);
        ok = false;
        break;
      }
      cells.push(parsed);
    }
    if (!ok) continue;
    let label: LabelValue = Label.unlabelled;
    if (columns.winner_tie !== -1) {
      const flags = WINNERS.map((name) => parseFlag(fields[columns![name]]));
      const wrong = flags.findIndex((flag) => Number.isNaN(flag));
      if (wrong !== -1) {
        bad(WINNERS[wrong], "a winner flag 0 or 1", JSON.stringify(fields[columns[WINNERS[wrong]]]));
        continue;
      }
      label = labelFromFlags(flags[0], flags[1], flags[2], problems, { id, line });
    }
    const [prompt, responseA, responseB] = cells;
    builder.add(
      {
        id,
        modelA: columns.model_a === -1 ? null : models.get(fields[columns.model_a]),
        modelB: columns.model_b === -1 ? null : models.get(fields[columns.model_b]),
        prompt: prompt.turns,
        responseA: responseA.turns,
        responseB: responseB.turns,
        label,
      },
      { prompt, responseA, responseB },
      line,
    );
  }
  if (!columns) {
    throw new DataFormatError({
      file: resolved.fileName,
      line: 1,
      field: "(header)",
      expected: `a header row with ${REQUIRED.join(", ")}`,
      found: "empty input",
    });
  }
  problems.bom = stats.bom;
  problems.crlfLines = stats.crlfLines;
  problems.invalidUtf8 = decoding.invalidUtf8;
  return { table: builder.build(), problems };
}

function readHeader(names: string[], file: string, problems: ProblemsReport): ColumnIndex {
  const headerError = (field: string, expected: string, found: string) =>
    new DataFormatError({ file, line: 1, field, expected, found });
  const columns = Object.fromEntries(KNOWN.map((name) => [name, -1])) as ColumnIndex;
  names.forEach((name, index) => {
    // pandas writes its index as an unnamed first column ("" or, after a round trip, "Unnamed: 0")
    if (index === 0 && (name.trim() === "" || name === "Unnamed: 0")) {
      problems.indexColumn = true;
      return;
    }
    if (!KNOWN.includes(name)) throw headerError(name, `a known column (${KNOWN.join(", ")})`, `unknown column "${name}"`);
    if (columns[name] !== -1) throw headerError(name, "each column once", `"${name}" twice`);
    columns[name] = index;
  });
  for (const name of REQUIRED) {
    if (columns[name] === -1) throw headerError(name, `a "${name}" column`, `columns ${names.join(", ")}`);
  }
  for (const group of [MODELS, WINNERS]) {
    const present = group.filter((name) => columns[name] !== -1);
    if (present.length > 0 && present.length < group.length) {
      throw headerError(group.find((name) => columns[name] === -1)!, `all of ${group.join(", ")} or none`, `only ${present.join(", ")}`);
    }
  }
  return columns;
}

/** Winner flags are 0/1, written as integers or floats ("1.0") depending on who saved the file; "" is 0. */
function parseFlag(text: string): number {
  const trimmed = text.trim();
  if (trimmed === "") return 0;
  const value = Number(trimmed);
  return value === 0 || value === 1 ? value : Number.NaN;
}

/**
 * One copy per model name. CSV fields are slices of the 1 MiB read buffer, and a kept slice keeps that whole
 * buffer alive; pooling copies (a few dozen distinct models) keeps the table's memory to its own text.
 */
class StringPool {
  private readonly pool = new Map<string, string>();

  get(text: string): string {
    let pooled = this.pool.get(text);
    if (pooled === undefined) {
      pooled = ` ${text}`.slice(1); // the concatenation is flattened into a fresh string, detached from the buffer
      this.pool.set(pooled, pooled);
    }
    return pooled;
  }
}
