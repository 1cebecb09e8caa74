import type { Graph } from "../graph.js";
import { crossEntropy } from "../nn/loss.js";
import { add, less, log, mul, sub, where } from "../ops/elementwise.js";
import { logSoftmax, reduceMean, reduceSum } from "../ops/reduce.js";
import type { Tensor } from "../ops/types.js";
import type { EncodedExamples } from "./examples.js";

/**
 * Knowledge distillation as Kaggle's LMSYS winners used it: the student also matches a large teacher's class
 * probabilities. The loss is `(1 − w)·CE(labels) + w·KL(teacher ‖ student)`; the teacher arrives as a CSV of `id`
 * plus one probability column per class (a submission file of the teacher).
 */

/** A teacher file or its rows that cannot be used; names the file, the row and the field. */
export class TeacherFileError extends Error {
  override readonly name = "TeacherFileError";
}

/** Teacher probabilities by row id. */
export interface TeacherProbabilities {
  /** The class columns, in file order (e.g. `winner_model_a, winner_model_b, winner_tie`). */
  readonly columns: readonly string[];
  /** Probabilities per id, one value per column, summing to 1. */
  readonly rows: ReadonlyMap<string, Float64Array>;
}

/** Rows may sum to 1 within this; their sum is then divided out. Larger deviations are errors. */
const SUM_TOLERANCE = 1e-3;

/** Parses a teacher CSV: header `id,<class>,<class>,…`, one row per id, probabilities in [0, 1] summing to 1. */
export function parseTeacherCsv(text: string, source = "teacher.csv"): TeacherProbabilities {
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1].trim() === "") lines.pop();
  const header = (lines[0] ?? "").replace(/^\uFEFF/, "").split(",").map((s) => s.trim());
  if (header[0] !== "id" || header.length < 3) {
    throw new TeacherFileError(`${source}: header must be "id" then one column per class (at least 2), got ${JSON.stringify(lines[0] ?? "")}`);
  }
  const columns = header.slice(1);
  const rows = new Map<string, Float64Array>();
  for (let line = 1; line < lines.length; line++) {
    const at = `${source} line ${line + 1}`;
    const fields = lines[line].split(",");
    if (lines[line].includes('"')) throw new TeacherFileError(`${at}: quoted fields are not supported in a teacher file`);
    if (fields.length !== header.length) throw new TeacherFileError(`${at}: expected ${header.length} fields, got ${fields.length}`);
    const id = fields[0].trim();
    if (id === "") throw new TeacherFileError(`${at}: empty id`);
    if (rows.has(id)) throw new TeacherFileError(`${at}: id ${JSON.stringify(id)} appears twice`);
    const probs = new Float64Array(columns.length);
    let sum = 0;
    for (let c = 0; c < columns.length; c++) {
      const text = fields[c + 1].trim();
      const value = text === "" ? Number.NaN : Number(text);
      if (!(value >= 0 && value <= 1)) throw new TeacherFileError(`${at}, field "${columns[c]}": expected a probability in [0, 1], got ${JSON.stringify(text)}`);
      probs[c] = value;
      sum += value;
    }
    if (Math.abs(sum - 1) > SUM_TOLERANCE) throw new TeacherFileError(`${at}: probabilities sum to ${sum}, expected 1 (±${SUM_TOLERANCE})`);
    for (let c = 0; c < probs.length; c++) probs[c] /= sum;
    rows.set(id, probs);
  }
  return { columns, rows };
}

/**
 * Teacher targets `[examples, classes]` in example order: the row of each example's source id, with A and B
 * exchanged for swapped examples (classes 0 and 1 are A and B wins). Every id must have a teacher row.
 */
export function teacherTargets(teacher: TeacherProbabilities, ids: readonly string[], examples: Pick<EncodedExamples, "sourceRows" | "swapped">, source = "teacher.csv"): Float32Array {
  const classes = teacher.columns.length;
  const count = examples.sourceRows.length;
  const out = new Float32Array(count * classes);
  const missing: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = ids[examples.sourceRows[i]];
    const row = teacher.rows.get(id);
    if (!row) {
      missing.push(id);
      continue;
    }
    out.set(row, i * classes);
    if (examples.swapped[i]) {
      if (classes !== 3) throw new TeacherFileError(`${source}: swapped examples need 3 classes (A, B, tie), the file has ${classes}`);
      out[i * classes] = row[1];
      out[i * classes + 1] = row[0];
    }
  }
  if (missing.length) {
    const unique = [...new Set(missing)];
    throw new TeacherFileError(`${source}: no teacher row for ${unique.length} id(s): ${unique.slice(0, 5).map((s) => JSON.stringify(s)).join(", ")}${unique.length > 5 ? ", …" : ""}`);
  }
  return out;
}

/** Mean over rows of KL(p ‖ softmax(logits)) = Σ p·(log p − log softmax(logits)), with 0·log 0 = 0. */
export function klDivergence(g: Graph, logits: Tensor, teacher: Tensor): Tensor {
  return g.scope("kl_divergence", () => {
    // log of a zero probability is never used (its product with p is 0), but must not be −∞ · 0 = NaN
    const safe = where(g, less(g, teacher, 1e-30), g.constant(1), teacher);
    const perClass = mul(g, teacher, sub(g, log(g, safe), logSoftmax(g, logits, -1)));
    return reduceMean(g, reduceSum(g, perClass, [-1]));
  });
}

/** `(1 − weight)·CE(logits, labels) + weight·KL(teacher ‖ softmax(logits))`, both means over the batch. */
export function distillationLoss(g: Graph, logits: Tensor, labels: Tensor, teacher: Tensor, weight: number): Tensor {
  if (!(weight >= 0 && weight <= 1)) throw new RangeError(`distillation weight must be in [0, 1], got ${weight}`);
  return g.scope("distillation", () => {
    const kl = klDivergence(g, logits, teacher);
    if (weight === 1) return kl;
    return add(g, mul(g, crossEntropy(g, logits, labels), 1 - weight), mul(g, kl, weight));
  });
}
