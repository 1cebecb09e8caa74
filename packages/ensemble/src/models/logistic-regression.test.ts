import { describe, expect, it } from "vitest";
import { denseFromRows, denseMatrix, type SparseMatrix } from "./feature-matrix.js";
import { LogisticRegression, multinomialObjective } from "./logistic-regression.js";
import { Standardizer } from "./standardizer.js";

/** A small deterministic 3-class problem with overlapping classes (so the unpenalised optimum is finite). */
function toyProblem(): { rows: number[][]; labels: number[] } {
  const rows: number[][] = [];
  const labels: number[] = [];
  let state = 12345;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  for (let i = 0; i < 60; i++) {
    const label = i % 3;
    const cx = [1, -1, 0][label];
    const cy = [0, 0.5, -1][label];
    rows.push([cx + 1.5 * (next() - 0.5) * 2, cy + 1.5 * (next() - 0.5) * 2]);
    labels.push(label);
  }
  return { rows, labels };
}

/** Independent float64 reference: damped Newton on the full Hessian, solved by Gaussian elimination. */
function newtonReference(rows: number[][], labels: number[], l2: number, classes: number): number[][] {
  const n = rows.length;
  const d = rows[0].length;
  const aug = rows.map((r) => [...r, 1]);
  const dim = classes * (d + 1);
  const theta = new Array<number>(dim).fill(0); // theta[k * (d + 1) + j], j = d is the intercept
  const probs = (t: number[]) =>
    aug.map((x) => {
      const z = Array.from({ length: classes }, (_, k) => x.reduce((s, v, j) => s + v * t[k * (d + 1) + j], 0));
      const m = Math.max(...z);
      const e = z.map((v) => Math.exp(v - m));
      const s = e.reduce((a, b) => a + b, 0);
      return e.map((v) => v / s);
    });
  for (let iter = 0; iter < 50; iter++) {
    const p = probs(theta);
    const g = new Array<number>(dim).fill(0);
    const h = Array.from({ length: dim }, () => new Array<number>(dim).fill(0));
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < classes; k++) {
        const r = p[i][k] - (labels[i] === k ? 1 : 0);
        for (let j = 0; j <= d; j++) g[k * (d + 1) + j] += (r * aug[i][j]) / n;
        for (let l = 0; l < classes; l++) {
          const w = (k === l ? p[i][k] : 0) - p[i][k] * p[i][l];
          for (let j = 0; j <= d; j++) {
            for (let m = 0; m <= d; m++) h[k * (d + 1) + j][l * (d + 1) + m] += (w * aug[i][j] * aug[i][m]) / n;
          }
        }
      }
    }
    for (let k = 0; k < classes; k++) {
      for (let j = 0; j < d; j++) {
        g[k * (d + 1) + j] += l2 * theta[k * (d + 1) + j];
        h[k * (d + 1) + j][k * (d + 1) + j] += l2;
      }
    }
    // The intercepts' common shift is a flat direction; a tiny ridge keeps the system solvable.
    for (let a = 0; a < dim; a++) h[a][a] += 1e-10;
    const m = h.map((row, a) => [...row, -g[a]]);
    for (let c = 0; c < dim; c++) {
      let pivot = c;
      for (let r = c + 1; r < dim; r++) if (Math.abs(m[r][c]) > Math.abs(m[pivot][c])) pivot = r;
      [m[c], m[pivot]] = [m[pivot], m[c]];
      for (let r = 0; r < dim; r++) {
        if (r === c) continue;
        const f = m[r][c] / m[c][c];
        for (let q = c; q <= dim; q++) m[r][q] -= f * m[c][q];
      }
    }
    for (let a = 0; a < dim; a++) theta[a] += m[a][dim] / m[a][a];
  }
  return probs(theta);
}

function toSparse(rows: number[][]): SparseMatrix {
  const indptr = new Int32Array(rows.length + 1);
  const indices: number[] = [];
  const values: number[] = [];
  rows.forEach((row, r) => {
    row.forEach((v, j) => {
      if (v !== 0) {
        indices.push(j);
        values.push(v);
      }
    });
    indptr[r + 1] = indices.length;
  });
  return {
    kind: "csr",
    rows: rows.length,
    cols: rows[0].length,
    indptr,
    indices: Int32Array.from(indices),
    values: Float64Array.from(values),
  };
}

describe("multinomialObjective", () => {
  it("has the gradient that finite differences give, for dense and sparse inputs", () => {
    const { rows, labels } = toyProblem();
    const params = Float64Array.from({ length: 9 }, (_, i) => Math.sin(i + 1) * 0.7);
    for (const x of [denseFromRows(rows), toSparse(rows)]) {
      const gradient = new Float64Array(9);
      const value = multinomialObjective(params, x, labels, 3, 0.1, gradient);
      expect(value).toBeGreaterThan(0);
      for (let i = 0; i < params.length; i++) {
        const h = 1e-6;
        const plus = Float64Array.from(params);
        const minus = Float64Array.from(params);
        plus[i] += h;
        minus[i] -= h;
        const numeric =
          (multinomialObjective(plus, x, labels, 3, 0.1) - multinomialObjective(minus, x, labels, 3, 0.1)) / (2 * h);
        expect(gradient[i]).toBeCloseTo(numeric, 7);
      }
    }
  });

  it("equals log(3) at zero parameters", () => {
    const { rows, labels } = toyProblem();
    expect(multinomialObjective(new Float64Array(9), denseFromRows(rows), labels, 3, 1)).toBeCloseTo(Math.log(3), 14);
  });
});

describe("LogisticRegression", () => {
  it("matches a float64 Newton reference", () => {
    const { rows, labels } = toyProblem();
    for (const l2 of [0.01, 0.5]) {
      const model = LogisticRegression.fit(denseFromRows(rows), labels, { l2, tolerance: 1e-10 });
      const got = model.predictProba(denseFromRows(rows));
      const want = newtonReference(rows, labels, l2, 3);
      want.forEach((p, i) => p.forEach((v, k) => expect(got[i * 3 + k]).toBeCloseTo(v, 7)));
    }
  });

  it("with no features predicts the class frequencies", () => {
    const model = LogisticRegression.fit(denseMatrix(new Float64Array(0), 4, 0), [0, 0, 1, 2], { tolerance: 1e-12 });
    const p = model.predictProba(denseMatrix(new Float64Array(0), 1, 0));
    expect(Array.from(p).map((v) => Number(v.toFixed(8)))).toEqual([0.5, 0.25, 0.25]);
  });

  it("fits the same model from dense and sparse inputs", () => {
    const { rows, labels } = toyProblem();
    const dense = LogisticRegression.fit(denseFromRows(rows), labels, { l2: 0.1 });
    const sparse = LogisticRegression.fit(toSparse(rows), labels, { l2: 0.1 });
    dense.weights.forEach((w, i) => expect(sparse.weights[i]).toBeCloseTo(w, 10));
  });

  it("reloads from JSON to identical predictions", () => {
    const { rows, labels } = toyProblem();
    const x = denseFromRows(rows);
    const model = LogisticRegression.fit(x, labels, { l2: 0.05 });
    const copy = LogisticRegression.fromJSON(JSON.parse(JSON.stringify(model)));
    expect(copy.predictProba(x)).toEqual(model.predictProba(x));
  });

  it("rejects out-of-range labels and malformed JSON", () => {
    const x = denseFromRows([[1], [2]]);
    expect(() => LogisticRegression.fit(x, [0, 3])).toThrow(/label 1 is 3, expected an integer in \[0, 3\)/);
    expect(() => LogisticRegression.fit(x, [0])).toThrow(/2 rows but 1 labels/);
    expect(() =>
      LogisticRegression.fromJSON({ kind: "multinomial-logistic-regression", classes: 3, features: 1, weights: [1], intercepts: [0, 0, 0] }),
    ).toThrow(/weights must hold 3 numbers/);
  });
});

describe("Standardizer", () => {
  it("centres and scales columns by the population std, leaving constant columns at 0", () => {
    const x = denseFromRows([
      [1, 5],
      [3, 5],
    ]);
    const s = Standardizer.fit(x);
    expect(Array.from(s.transform(x).data)).toEqual([-1, 0, 1, 0]);
    const copy = Standardizer.fromJSON(JSON.parse(JSON.stringify(s)));
    expect(copy.transform(x).data).toEqual(s.transform(x).data);
  });
});
