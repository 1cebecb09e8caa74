import { describe, expect, it } from "vitest";
import { grad } from "../autodiff.js";
import { Graph } from "../graph.js";
import { interpret } from "../interpreter.js";
import { TeacherFileError, distillationLoss, klDivergence, parseTeacherCsv, teacherTargets } from "./distill.js";

const logits = [1.5, -0.5, 0.25, -2, 0.5, 3];
const teacher = [0.7, 0.2, 0.1, 0, 0.25, 0.75];
const labels = [0, 2];

/** float64 log-softmax of one row. */
function logSoftmax64(row: number[]): number[] {
  const max = Math.max(...row);
  const lse = max + Math.log(row.reduce((s, x) => s + Math.exp(x - max), 0));
  return row.map((x) => x - lse);
}

/** Hand KL and CE, float64, mean over the two rows. */
function reference(z: number[]): { kl: number; ce: number } {
  let kl = 0;
  let ce = 0;
  for (let b = 0; b < 2; b++) {
    const lp = logSoftmax64(z.slice(b * 3, b * 3 + 3));
    for (let c = 0; c < 3; c++) {
      const p = teacher[b * 3 + c];
      if (p > 0) kl += p * (Math.log(p) - lp[c]);
    }
    ce -= lp[labels[b]];
  }
  return { kl: kl / 2, ce: ce / 2 };
}

function lossGraph(weight: number) {
  const g = new Graph();
  const z = g.input("logits", "float32", [2, 3]);
  const p = g.input("teacher", "float32", [2, 3]);
  const y = g.input("labels", "int64", [2]);
  const kl = klDivergence(g, z, p);
  const loss = distillationLoss(g, z, y, p, weight);
  const [dz] = grad(g, loss, [z]);
  const feeds = {
    logits: { data: Float32Array.from(logits), shape: [2, 3] },
    teacher: { data: Float32Array.from(teacher), shape: [2, 3] },
    labels: { data: BigInt64Array.from(labels.map(BigInt)), shape: [2] },
  };
  const [klValue, lossValue, dzValue] = interpret(g, [kl, loss, dz], feeds);
  return { kl: Number(klValue.data[0]), loss: Number(lossValue.data[0]), dz: Array.from(dzValue.data as ArrayLike<number>) };
}

describe("distillation loss", () => {
  it("is KL(teacher ‖ student) with 0·log 0 = 0, mixed with cross-entropy by the weight", () => {
    const ref = reference(logits);
    const run = lossGraph(0.3);
    expect(run.kl).toBeCloseTo(ref.kl, 6);
    expect(run.loss).toBeCloseTo(0.7 * ref.ce + 0.3 * ref.kl, 6);
    expect(lossGraph(1).loss).toBeCloseTo(ref.kl, 6);
    expect(lossGraph(0).loss).toBeCloseTo(ref.ce, 6);
  });

  it("has the gradient of central differences of the float64 loss", () => {
    const weight = 0.6;
    const { dz } = lossGraph(weight);
    const f = (z: number[]) => {
      const r = reference(z);
      return (1 - weight) * r.ce + weight * r.kl;
    };
    const h = 1e-5;
    for (let i = 0; i < logits.length; i++) {
      const plus = [...logits];
      const minus = [...logits];
      plus[i] += h;
      minus[i] -= h;
      expect(dz[i]).toBeCloseTo((f(plus) - f(minus)) / (2 * h), 5);
    }
  });

  it("rejects a weight outside [0, 1]", () => {
    expect(() => lossGraph(1.5)).toThrow(RangeError);
  });
});

describe("parseTeacherCsv / teacherTargets", () => {
  const csv = "id,winner_model_a,winner_model_b,winner_tie\n30192,0.6,0.3,0.1\n53567,0.2,0.5,0.3001\n";

  it("reads probabilities by id, dividing out a sum within tolerance", () => {
    const t = parseTeacherCsv(csv);
    expect(t.columns).toEqual(["winner_model_a", "winner_model_b", "winner_tie"]);
    const row = t.rows.get("53567")!;
    expect(row[2]).toBeCloseTo(0.3001 / 1.0001, 12);
    expect(row.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12);
  });

  it("aligns rows to examples and exchanges A and B on swapped copies", () => {
    const t = parseTeacherCsv(csv);
    const targets = teacherTargets(t, ["53567", "30192"], { sourceRows: Int32Array.from([1, 1, 0]), swapped: Uint8Array.from([0, 1, 0]) });
    expect(Array.from(targets.subarray(0, 6))).toEqual(Array.from(Float32Array.from([0.6, 0.3, 0.1, 0.3, 0.6, 0.1])));
  });

  it("names the file, line and field of bad rows, and every missing id", () => {
    expect(() => parseTeacherCsv("id,a,b,tie\n1,0.5,0.6,0\n", "t.csv")).toThrow("t.csv line 2: probabilities sum to 1.1");
    expect(() => parseTeacherCsv("id,a,b,tie\n1,0.5,x,0.5\n", "t.csv")).toThrow('t.csv line 2, field "b": expected a probability in [0, 1], got "x"');
    expect(() => parseTeacherCsv("id,a,b,tie\n1,1,0,0\n1,1,0,0\n", "t.csv")).toThrow('id "1" appears twice');
    expect(() => parseTeacherCsv("row,a,b\n", "t.csv")).toThrow(TeacherFileError);
    const t = parseTeacherCsv(csv);
    expect(() => teacherTargets(t, ["30192", "999"], { sourceRows: Int32Array.from([0, 1]), swapped: new Uint8Array(2) }, "t.csv")).toThrow('t.csv: no teacher row for 1 id(s): "999"');
  });
});
