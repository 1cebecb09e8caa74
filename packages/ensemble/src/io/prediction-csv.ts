import { parse } from "csv-parse/sync";
import { PredictionFileError } from "../errors.js";
import { CLASSES, PREDICTION_COLUMNS, predictionTable, type LabelTable, type PredictionTable } from "../predictions/prediction-table.js";

/** Header cells and data rows of a CSV text; a CSV syntax error becomes a {@link PredictionFileError}. */
function parseRecords(text: string, source: string): { header: string[]; rows: string[][] } {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true }) as string[][];
  } catch (error) {
    throw new PredictionFileError(source, undefined, `not readable as CSV (${(error as Error).message})`);
  }
  if (records.length === 0) throw new PredictionFileError(source, undefined, "empty file, expected a header row");
  return { header: records[0].map((cell) => cell.trim()), rows: records.slice(1) };
}

/** Where `id` and the three probability columns sit; names the first missing one. */
function columnPositions(header: string[], source: string): number[] {
  return ["id", ...PREDICTION_COLUMNS].map((name) => {
    const at = header.indexOf(name);
    if (at < 0) throw new PredictionFileError(source, undefined, `missing column ${name} (header: ${header.join(", ")})`);
    return at;
  });
}

function numberCell(cell: string | undefined, source: string, row: number, column: string): number {
  const value = cell === undefined || cell.trim() === "" ? Number.NaN : Number(cell);
  if (Number.isNaN(value)) throw new PredictionFileError(source, row, `${column} is ${JSON.stringify(cell ?? "")}, expected a number`);
  return value;
}

/**
 * Reads a prediction file in the Kaggle submission layout (`id, winner_model_a, winner_model_b, winner_tie`; other
 * columns ignored) and checks it with {@link predictionTable}.
 */
export function parsePredictionsCsv(text: string, source: string): PredictionTable {
  const { header, rows } = parseRecords(text, source);
  const [idAt, ...probabilityAt] = columnPositions(header, source);
  const probs = new Float64Array(rows.length * CLASSES);
  const ids = rows.map((record, r) => {
    probabilityAt.forEach((at, k) => {
      probs[r * CLASSES + k] = numberCell(record[at], source, r + 1, PREDICTION_COLUMNS[k]);
    });
    return record[idAt] ?? "";
  });
  return predictionTable(source, ids, probs);
}

/** Reads true labels from the same three columns holding one-hot 0/1 flags (an arena train CSV works as is). */
export function parseLabelsCsv(text: string, source: string): LabelTable {
  const { header, rows } = parseRecords(text, source);
  const [idAt, ...flagAt] = columnPositions(header, source);
  const labels = new Uint8Array(rows.length);
  const seen = new Set<string>();
  const ids = rows.map((record, r) => {
    const flags = flagAt.map((at, k) => numberCell(record[at], source, r + 1, PREDICTION_COLUMNS[k]));
    if (!flags.every((f) => f === 0 || f === 1) || flags[0] + flags[1] + flags[2] !== 1) {
      throw new PredictionFileError(source, r + 1, `winner flags are ${flags.join(", ")}, expected exactly one 1 and two 0`);
    }
    labels[r] = flags.indexOf(1);
    const id = record[idAt] ?? "";
    if (id === "" || seen.has(id)) throw new PredictionFileError(source, r + 1, `${id === "" ? "empty" : "duplicate"} id ${JSON.stringify(id)}`);
    seen.add(id);
    return id;
  });
  return { source, ids, labels };
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** The Kaggle submission text for `ids` and row-major probabilities; numbers keep full float64 precision. */
export function formatPredictionsCsv(ids: readonly string[], probs: Float64Array): string {
  const lines = [["id", ...PREDICTION_COLUMNS].join(",")];
  ids.forEach((id, i) => {
    lines.push([csvCell(id), probs[i * CLASSES], probs[i * CLASSES + 1], probs[i * CLASSES + 2]].join(","));
  });
  return `${lines.join("\n")}\n`;
}
