import { ShapeError } from "../errors.js";
import type { Graph } from "../graph.js";
import { broadcastShape, broadcastStrides, forEachIndex, ndarray } from "../ndarray.js";
import { broadcastShapes } from "../shape.js";
import { reshape, transpose } from "./movement.js";
import type { OpDefs, Tensor, VjpRules } from "./types.js";

/** Matrix products. */
export type LinalgOp = "MatMul" | "Gemm";

/** Batched `a @ b` over the last two axes (both rank ≥ 2); leading axes broadcast. */
export const matMul = (g: Graph, a: Tensor, b: Tensor) => g.apply("MatMul", [a, b], {});

/** Options of {@link gemm}. */
export interface GemmOptions {
  /** Use `aᵀ`. Defaults to `false`. */
  transA?: boolean;
  /** Use `bᵀ`. Defaults to `false`. */
  transB?: boolean;
  /** Scale of the product. Defaults to `1`. */
  alpha?: number;
  /** Scale of `c`. Defaults to `1`. */
  beta?: number;
}

/** `alpha·op(a)·op(b) + beta·c` on 2-D operands; `c` broadcasts to the result. */
export function gemm(g: Graph, a: Tensor, b: Tensor, c?: Tensor, options: GemmOptions = {}): Tensor {
  const params = { transA: options.transA ?? false, transB: options.transB ?? false, alpha: options.alpha ?? 1, beta: options.beta ?? 1 };
  return g.apply("Gemm", c ? [a, b, c] : [a, b], params);
}

/** Swaps the last two axes. */
export function transposeLast(g: Graph, x: Tensor): Tensor {
  const perm = x.shape.map((_, i) => i);
  [perm[perm.length - 2], perm[perm.length - 1]] = [perm[perm.length - 1], perm[perm.length - 2]];
  return transpose(g, x, perm);
}

function matmulArrays(a: Float64Array, b: Float64Array, out: Float64Array, ao: number, bo: number, oo: number, m: number, k: number, n: number, ta = false, tb = false): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[ao + (ta ? p * m + i : i * k + p)] * b[bo + (tb ? j * k + p : p * n + j)];
      out[oo + i * n + j] = s;
    }
  }
}

export const linalgDefs: OpDefs<LinalgOp> = {
  MatMul: {
    arity: [2, 2],
    infer: ([a, b], _p, where) => {
      if (a.dtype !== b.dtype) throw new ShapeError(`${where()}: dtypes differ (${a.dtype} vs ${b.dtype})`);
      if (a.shape.length < 2 || b.shape.length < 2) throw new ShapeError(`${where()}: both operands need rank ≥ 2`);
      const [m, k] = a.shape.slice(-2);
      const [k2, n] = b.shape.slice(-2);
      if (k !== k2) throw new ShapeError(`${where()}: inner dims differ (${k} vs ${k2})`);
      const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2), where);
      return { dtype: a.dtype, shape: [...batch, m, n] };
    },
    lower: (n, ctx) => ctx.emit("MatMul", [n.inputs[0].name, n.inputs[1].name], [n.output.name]),
    kernel: ([a, b]) => {
      const [m, k] = a.shape.slice(-2);
      const n = b.shape[b.shape.length - 1];
      const batch = broadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
      const out = ndarray(a.dtype, [...batch, m, n]);
      const sa = broadcastStrides(a.shape.slice(0, -2), batch);
      const sb = broadcastStrides(b.shape.slice(0, -2), batch);
      forEachIndex(batch, [sa, sb], (i, [oa, ob]) => matmulArrays(a.data, b.data, out.data, oa * m * k, ob * k * n, i * m * n, m, k, n));
      return out;
    },
  },
  Gemm: {
    arity: [2, 3],
    infer: ([a, b, c], p, where) => {
      if (a.shape.length !== 2 || b.shape.length !== 2) throw new ShapeError(`${where()}: operands must be 2-D`);
      const [m, k] = p.transA ? [a.shape[1], a.shape[0]] : a.shape;
      const [k2, n] = p.transB ? [b.shape[1], b.shape[0]] : b.shape;
      if (k !== k2) throw new ShapeError(`${where()}: inner dims differ (${k} vs ${k2})`);
      if (c) broadcastShapes([m, n], c.shape, where);
      return { dtype: a.dtype, shape: [m, n] };
    },
    lower: (n, ctx) =>
      ctx.emit("Gemm", n.inputs.map((t) => t.name), [n.output.name], {
        transA: { int: Number(n.params.transA) },
        transB: { int: Number(n.params.transB) },
        alpha: { float: n.params.alpha },
        beta: { float: n.params.beta },
      }),
    kernel: ([a, b, c], p) => {
      const [m, k] = p.transA ? [a.shape[1], a.shape[0]] : a.shape;
      const n = p.transB ? b.shape[0] : b.shape[1];
      const out = ndarray(a.dtype, [m, n]);
      matmulArrays(a.data, b.data, out.data, 0, 0, 0, m, k, n, p.transA, p.transB);
      const cs = c ? broadcastStrides(c.shape, [m, n]) : [0, 0];
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          out.data[i * n + j] = p.alpha * out.data[i * n + j] + (c ? p.beta * c.data[i * cs[0] + j * cs[1]] : 0);
        }
      }
      return out;
    },
  },
};

export const linalgVjp: VjpRules<LinalgOp> = {
  MatMul: (g, { inputs: [a, b] }, dy, need) => {
    const da = need[0] ? matMul(g, dy, transposeLast(g, b)) : undefined;
    let db: Tensor | undefined;
    if (need[1]) {
      const k = a.shape[a.shape.length - 1];
      const n = b.shape[b.shape.length - 1];
      // A 2-D weight under a batched input: one Gemm over all rows beats a batched product plus a reduction.
      db =
        b.shape.length === 2 && a.shape.length > 2 && typeof k === "number" && typeof n === "number"
          ? gemm(g, reshape(g, a, [-1, k]), reshape(g, dy, [-1, n]), undefined, { transA: true })
          : matMul(g, transposeLast(g, a), dy);
    }
    return [da, db];
  },
  Gemm: (g, { inputs: [a, b], params: p }, dy, need) => {
    const o = { alpha: p.alpha };
    const da = !need[0] ? undefined : p.transA ? gemm(g, b, dy, undefined, { ...o, transA: p.transB, transB: true }) : gemm(g, dy, b, undefined, { ...o, transB: !p.transB });
    const db = !need[1] ? undefined : p.transB ? gemm(g, dy, a, undefined, { ...o, transA: true, transB: p.transA }) : gemm(g, a, dy, undefined, { ...o, transA: !p.transA });
    return [da, db, need[2] ? (p.beta === 1 ? dy : g.apply("Mul", [dy, g.constant(p.beta, dy.dtype)], {})) : undefined];
  },
};
