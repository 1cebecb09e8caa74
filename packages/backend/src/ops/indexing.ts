import { onnxDataType } from "../dtype.js";
import { ShapeError } from "../errors.js";
import { transpose } from "./movement.js";
import type { Graph } from "../graph.js";
import { ndarray, stridesOf } from "../ndarray.js";
import { formatShape, normalizeAxis, sameShape } from "../shape.js";
import type { OpDefs, Tensor, VjpRules } from "./types.js";

/** Index-driven ops: gather (embedding lookup), its scatter-add adjoint, and mask generators. */
export type IndexingOp = "Gather" | "ScatterAdd" | "Range" | "Trilu";

/** `data` indexed along `axis` by integer `indices` (ONNX Gather). */
export const gather = (g: Graph, data: Tensor, indices: Tensor, axis = 0) => g.apply("Gather", [data, indices], { axis: axis < 0 ? axis + data.shape.length : axis });
/** Zeros shaped like `like`, with `updates[i, …]` added into row `indices[i]` (repeats accumulate). */
export const scatterAdd = (g: Graph, like: Tensor, indices: Tensor, updates: Tensor) => g.apply("ScatterAdd", [like, indices, updates], {});
/** `[start, limit)` in steps of `delta`; scalar operands. */
export const range = (g: Graph, start: Tensor, limit: Tensor, delta: Tensor) => g.apply("Range", [start, limit, delta], {});
/** Keeps the upper (or lower) triangle of the last two axes from diagonal `k`, zeroing the rest. */
export const trilu = (g: Graph, x: Tensor, upper: boolean, k = 0) => g.apply("Trilu", [x], { upper, k });

function isIndex(t: Tensor): boolean {
  return t.dtype === "int64" || t.dtype === "int32";
}

export const indexingDefs: OpDefs<IndexingOp> = {
  Gather: {
    arity: [2, 2],
    infer: ([data, idx], { axis }, where) => {
      if (!isIndex(idx)) throw new ShapeError(`${where()}: indices must be int64 or int32, got ${idx.dtype}`);
      normalizeAxis(axis, data.shape.length, where);
      const shape = [...data.shape.slice(0, axis), ...idx.shape, ...data.shape.slice(axis + 1)];
      const pick = data.value && idx.value && idx.shape.length === 0 ? idx.value[0] : undefined;
      const value = typeof pick === "number" && data.value ? [data.value[pick < 0 ? pick + data.value.length : pick]] : undefined;
      return { dtype: data.dtype, shape, value };
    },
    lower: (n, ctx) => ctx.emit("Gather", [n.inputs[0].name, n.inputs[1].name], [n.output.name], { axis: { int: n.params.axis } }),
    kernel: ([data, idx], { axis }) => {
      const outer = data.shape.slice(0, axis).reduce((p, d) => p * d, 1);
      const inner = data.shape.slice(axis + 1).reduce((p, d) => p * d, 1);
      const dim = data.shape[axis];
      const out = ndarray(data.dtype, [...data.shape.slice(0, axis), ...idx.shape, ...data.shape.slice(axis + 1)]);
      const n = idx.data.length;
      for (let o = 0; o < outer; o++) {
        for (let j = 0; j < n; j++) {
          const row = idx.data[j] < 0 ? idx.data[j] + dim : idx.data[j];
          if (row < 0 || row >= dim) throw new RangeError(`Gather: index ${idx.data[j]} out of range for axis size ${dim}`);
          out.data.set(data.data.subarray((o * dim + row) * inner, (o * dim + row + 1) * inner), (o * n + j) * inner);
        }
      }
      return out;
    },
  },
  ScatterAdd: {
    arity: [3, 3],
    infer: ([like, idx, upd], _p, where) => {
      if (!isIndex(idx)) throw new ShapeError(`${where()}: indices must be int64 or int32, got ${idx.dtype}`);
      const expected = [...idx.shape, ...like.shape.slice(1)];
      if (!sameShape(upd.shape, expected)) throw new ShapeError(`${where()}: updates ${formatShape(upd.shape)} should be ${formatShape(expected)}`);
      return { dtype: upd.dtype, shape: like.shape };
    },
    lower: (n, ctx) => {
      const [like, idx, upd] = n.inputs;
      const shape = ctx.fresh("shape");
      const zeros = ctx.fresh("zeros");
      const idx64 = idx.dtype === "int64" ? idx.name : ctx.fresh("idx64");
      const rows = ctx.fresh("rows");
      ctx.emit("Shape", [like.name], [shape], {}, "Shape");
      ctx.emit("ConstantOfShape", [shape], [zeros], { value: { tensor: { dtype: upd.dtype, values: [0], dims: [1] } } }, "Zeros");
      if (idx.dtype !== "int64") ctx.emit("Cast", [idx.name], [idx64], { to: { int: onnxDataType.int64 } }, "Cast");
      ctx.emit("Unsqueeze", [idx64, ctx.constant([-1])], [rows], {}, "Unsqueeze");
      ctx.emit("ScatterND", [zeros, rows, upd.name], [n.output.name], { reduction: { string: "add" } });
    },
    kernel: ([like, idx, upd]) => {
      const out = ndarray(upd.dtype, like.shape);
      const inner = like.shape.slice(1).reduce((p, d) => p * d, 1);
      for (let j = 0; j < idx.data.length; j++) {
        const row = idx.data[j] < 0 ? idx.data[j] + like.shape[0] : idx.data[j];
        for (let k = 0; k < inner; k++) out.data[row * inner + k] += upd.data[j * inner + k];
      }
      return out;
    },
  },
  Range: {
    arity: [3, 3],
    infer: ([start, limit, delta], _p, where) => {
      if ([start, limit, delta].some((t) => t.shape.length !== 0 || t.dtype !== start.dtype)) {
        throw new ShapeError(`${where()}: start, limit and delta must be scalars of one dtype`);
      }
      const [s, l, d] = [start.value?.[0], limit.value?.[0], delta.value?.[0]];
      const length =
        typeof s === "number" && typeof l === "number" && typeof d === "number" ? Math.max(0, Math.ceil((l - s) / d)) : s === 0 && d === 1 && l !== undefined ? l : `range(${start.name})`;
      return { dtype: start.dtype, shape: [length] };
    },
    lower: (n, ctx) => ctx.emit("Range", n.inputs.map((t) => t.name), [n.output.name]),
    kernel: ([start, limit, delta]) => {
      const [s, l, d] = [start.data[0], limit.data[0], delta.data[0]];
      const len = Math.max(0, Math.ceil((l - s) / d));
      return ndarray(start.dtype, [len], Array.from({ length: len }, (_, i) => s + i * d));
    },
  },
  Trilu: {
    arity: [1, 1],
    infer: ([x], _p, where) => {
      if (x.shape.length < 2) throw new ShapeError(`${where()}: needs rank ≥ 2, got ${formatShape(x.shape)}`);
      return { dtype: x.dtype, shape: x.shape };
    },
    lower: (n, ctx) => ctx.emit("Trilu", [n.inputs[0].name, ctx.constant([n.params.k], "int64", [])], [n.output.name], { upper: { int: Number(n.params.upper) } }),
    kernel: ([x], { upper, k }) => {
      const [rows, cols] = x.shape.slice(-2);
      const out = ndarray(x.dtype, x.shape, x.data);
      const strides = stridesOf(x.shape);
      const rowStride = strides[strides.length - 2];
      for (let i = 0; i < out.data.length; i++) {
        const r = Math.floor(i / rowStride) % rows;
        const c = i % cols;
        if (upper ? c - r < k : c - r > k) out.data[i] = 0;
      }
      return out;
    },
  },
};

export const indexingVjp: VjpRules<IndexingOp> = {
  Gather: (g, { inputs: [data, idx], params: { axis } }, dy) => {
    if (axis === 0) return [scatterAdd(g, data, idx, dy), undefined];
    // Move the gathered axis to the front, scatter rows there, and move it back.
    const r = data.shape.length;
    const q = idx.shape.length;
    const dataPerm = [axis, ...Array.from({ length: r }, (_, i) => i).filter((i) => i !== axis)];
    const dyPerm = [...Array.from({ length: q }, (_, i) => axis + i), ...Array.from({ length: axis }, (_, i) => i), ...Array.from({ length: r - axis - 1 }, (_, i) => axis + q + i)];
    const inverse = new Array<number>(r);
    dataPerm.forEach((p, i) => (inverse[p] = i));
    const scattered = scatterAdd(g, transpose(g, data, dataPerm), idx, transpose(g, dy, dyPerm));
    return [transpose(g, scattered, inverse), undefined];
  },
  // `like` only lends its shape: its gradient is zero.
  ScatterAdd: (g, { inputs: [like, idx] }, dy, need) => [need[0] ? g.apply("Mul", [like, g.constant(0, like.dtype)], {}) : undefined, undefined, need[2] ? gather(g, dy, idx, 0) : undefined],
  Range: () => [],
  Trilu: (g, { params: { upper, k } }, dy) => [trilu(g, dy, upper, k)],
};
