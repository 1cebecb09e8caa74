import { ShapeError } from "../errors.js";
import type { Graph } from "../graph.js";
import { ndarray, reshapeArray, stridesOf, transposeArray, forEachIndex, broadcastStrides } from "../ndarray.js";
import { broadcastShapes, dimProduct, formatShape, normalizeAxis, type Dim, type Shape } from "../shape.js";
import type { NDArray, OpDefs, Tensor, VjpRules } from "./types.js";

/** Ops that move or reinterpret elements. */
export type MovementOp = "Transpose" | "Reshape" | "Expand" | "Unsqueeze" | "Squeeze" | "Concat" | "Slice" | "Pad" | "Shape";

/** Slice end meaning "to the end of the axis". */
export const TO_END = Number.MAX_SAFE_INTEGER;

/** Permutes the axes of `x` (ONNX Transpose): output axis `i` is input axis `perm[i]`. */
export const transpose = (g: Graph, x: Tensor, perm: readonly number[]) => g.apply("Transpose", [x], { perm: [...perm] });
/** Runtime shape of `x` as an int64 vector (its contents stay known symbolically). */
export const shapeOf = (g: Graph, x: Tensor) => g.apply("Shape", [x], {});
/** ONNX Reshape semantics: `0` copies the input dim, `-1` is inferred. */
export const reshape = (g: Graph, x: Tensor, spec: readonly number[]) => g.apply("Reshape", [x, g.constant(spec, "int64")], {});
/** Reshapes `x` to the runtime shape of `like` (ONNX Reshape fed by Shape); sizes must agree. */
export const reshapeLike = (g: Graph, x: Tensor, like: Tensor) => g.apply("Reshape", [x, shapeOf(g, like)], {});
/** Broadcasts `x` against `dims` (ONNX Expand); the result has the numpy-style broadcast of both shapes. */
export const expand = (g: Graph, x: Tensor, dims: readonly number[]) => g.apply("Expand", [x, g.constant(dims, "int64")], {});
/** Broadcasts `x` to the runtime shape of `like` (ONNX Expand fed by Shape). */
export const expandLike = (g: Graph, x: Tensor, like: Tensor) => g.apply("Expand", [x, shapeOf(g, like)], {});
/** Inserts size-1 axes at `axes` (ONNX Unsqueeze); negative axes count from the end of the output rank. */
export const unsqueeze = (g: Graph, x: Tensor, axes: readonly number[]) => {
  const rank = x.shape.length + axes.length;
  return g.apply("Unsqueeze", [x], { axes: axes.map((a) => (a < 0 ? a + rank : a)).sort((p, q) => p - q) });
};
/** Removes the axes `axes` (ONNX Squeeze), each of which must be 1; negative axes count from the end. */
export const squeeze = (g: Graph, x: Tensor, axes: readonly number[]) =>
  g.apply("Squeeze", [x], { axes: axes.map((a) => (a < 0 ? a + x.shape.length : a)).sort((p, q) => p - q) });
/** Joins `xs` along `axis` (ONNX Concat; negative counts from the end); dtypes and the other dims must match. */
export const concat = (g: Graph, xs: readonly Tensor[], axis: number) => g.apply("Concat", xs, { axis: axis < 0 ? axis + xs[0].shape.length : axis });
/** Slice `[start, end)` on each of `axes` (step 1); negative indices count from the end, {@link TO_END} ends at the end. */
export const slice = (g: Graph, x: Tensor, starts: readonly number[], ends: readonly number[], axes: readonly number[]) =>
  g.apply("Slice", [x], { starts: [...starts], ends: [...ends], axes: axes.map((a) => (a < 0 ? a + x.shape.length : a)) });
/** Zero padding; `pads` is ONNX order `[begin_0…begin_r-1, end_0…end_r-1]`. */
export const pad = (g: Graph, x: Tensor, pads: readonly number[]) => g.apply("Pad", [x], { pads: [...pads] });

/** Splits `a*b*3` dims into factors so reshapes can cancel symbols. */
function factors(shape: Shape): { syms: string[]; num: number } {
  const syms: string[] = [];
  let num = 1;
  for (const d of shape) {
    for (const f of String(d).split("*")) {
      if (/^\d+$/.test(f)) num *= Number(f);
      else syms.push(f);
    }
  }
  return { syms, num };
}

function reshapeTarget(x: Shape, spec: readonly Dim[], where: () => string): Dim[] {
  const out = spec.map((d, i) => (d === 0 ? x[i] : d));
  const inferAt = out.indexOf(-1);
  const have = factors(x);
  const known = factors(out.filter((_, i) => i !== inferAt));
  for (const s of known.syms) {
    const k = have.syms.indexOf(s);
    if (k < 0) throw new ShapeError(`${where()}: cannot reshape ${formatShape(x)} to ${formatShape(spec)} (no '${s}' in the input)`);
    have.syms.splice(k, 1);
  }
  if (have.num % known.num !== 0 || (inferAt < 0 && (have.syms.length > 0 || have.num !== known.num))) {
    throw new ShapeError(`${where()}: cannot reshape ${formatShape(x)} to ${formatShape(spec)} (sizes differ)`);
  }
  if (inferAt >= 0) out[inferAt] = dimProduct([have.num / known.num, ...have.syms]);
  return out;
}

function knownValue(t: Tensor | undefined, where: () => string): readonly Dim[] {
  if (!t?.value) throw new ShapeError(`${where()}: the shape operand must be a constant or come from Shape()`);
  return t.value;
}

function sliceBounds(start: number, end: number, dim: number): [number, number] {
  const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + dim : v, 0), dim);
  const s = clamp(start);
  return [s, Math.max(clamp(end), s)];
}

function sliceDim(d: Dim, start: number, end: number): Dim {
  if (typeof d === "number") {
    const [s, e] = sliceBounds(start, end, d);
    return e - s;
  }
  // Symbolic dims are assumed long enough for the bounds given; ORT checks the real sizes at run time.
  if (start >= 0 && end >= 0 && end !== TO_END) return end - start;
  if (start < 0 && (end === TO_END || end < 0)) return (end === TO_END ? 0 : end) - start;
  return start === 0 && end === TO_END ? d : `${d}[${start}:${end}]`;
}

function concatArrays(xs: readonly NDArray[], axis: number): NDArray {
  const outShape = [...xs[0].shape];
  outShape[axis] = xs.reduce((s, x) => s + x.shape[axis], 0);
  const out = ndarray(xs[0].dtype, outShape);
  const outer = xs[0].shape.slice(0, axis).reduce((p, d) => p * d, 1);
  let offset = 0;
  const rowOut = stridesOf(outShape)[axis] * outShape[axis];
  for (const x of xs) {
    const chunk = x.data.length / outer;
    for (let o = 0; o < outer; o++) out.data.set(x.data.subarray(o * chunk, (o + 1) * chunk), o * rowOut + offset);
    offset += chunk;
  }
  return out;
}

export const movementDefs: OpDefs<MovementOp> = {
  Transpose: {
    arity: [1, 1],
    infer: ([x], { perm }, where) => {
      if (perm.length !== x.shape.length || [...perm].sort().some((p, i) => p !== i)) {
        throw new ShapeError(`${where()}: perm [${perm.join(", ")}] is not a permutation of rank ${x.shape.length}`);
      }
      return { dtype: x.dtype, shape: perm.map((p) => x.shape[p]) };
    },
    lower: (n, ctx) => ctx.emit("Transpose", [n.inputs[0].name], [n.output.name], { perm: { ints: n.params.perm } }),
    kernel: ([x], { perm }) => transposeArray(x, perm),
  },
  Shape: {
    arity: [1, 1],
    infer: ([x]) => ({ dtype: "int64", shape: [x.shape.length], value: x.shape }),
    lower: (n, ctx) => ctx.emit("Shape", [n.inputs[0].name], [n.output.name]),
    kernel: ([x]) => ndarray("int64", [x.shape.length], x.shape),
  },
  Reshape: {
    arity: [2, 2],
    infer: ([x, s], _p, where) => ({ dtype: x.dtype, shape: reshapeTarget(x.shape, knownValue(s, where), where) }),
    lower: (n, ctx) => ctx.emit("Reshape", [n.inputs[0].name, n.inputs[1].name], [n.output.name]),
    kernel: ([x, s]) => {
      const spec = Array.from(s.data, (d, i) => (d === 0 ? x.shape[i] : d));
      const known = spec.reduce((p, d) => (d === -1 ? p : p * d), 1);
      return reshapeArray(x, spec.map((d) => (d === -1 ? x.data.length / known : d)));
    },
  },
  Expand: {
    arity: [2, 2],
    infer: ([x, s], _p, where) => ({ dtype: x.dtype, shape: broadcastShapes(x.shape, knownValue(s, where), where) }),
    lower: (n, ctx) => ctx.emit("Expand", [n.inputs[0].name, n.inputs[1].name], [n.output.name]),
    kernel: ([x, s]) => {
      const rank = Math.max(x.shape.length, s.data.length);
      const pad = (v: readonly number[]) => [...new Array<number>(rank - v.length).fill(1), ...v];
      const target = pad(Array.from(s.data));
      const outShape = pad([...x.shape]).map((d, i) => (d === 1 ? target[i] : d));
      const out = ndarray(x.dtype, outShape);
      forEachIndex(outShape, [broadcastStrides(x.shape, outShape)], (i, [o]) => (out.data[i] = x.data[o]));
      return out;
    },
  },
  Unsqueeze: {
    arity: [1, 1],
    infer: ([x], { axes }, where) => {
      const shape: Dim[] = [...x.shape];
      for (const a of axes) shape.splice(normalizeAxis(a, x.shape.length + axes.length, where), 0, 1);
      return { dtype: x.dtype, shape, value: x.shape.length === 0 && x.value ? x.value : undefined };
    },
    lower: (n, ctx) => ctx.emit("Unsqueeze", [n.inputs[0].name, ctx.constant(n.params.axes)], [n.output.name]),
    kernel: ([x], { axes }) => {
      const shape = [...x.shape];
      for (const a of axes) shape.splice(a, 0, 1);
      return reshapeArray(x, shape);
    },
  },
  Squeeze: {
    arity: [1, 1],
    infer: ([x], { axes }, where) => {
      for (const a of axes) {
        if (x.shape[normalizeAxis(a, x.shape.length, where)] !== 1) throw new ShapeError(`${where()}: axis ${a} of ${formatShape(x.shape)} is not 1`);
      }
      return { dtype: x.dtype, shape: x.shape.filter((_, i) => !axes.includes(i)) };
    },
    lower: (n, ctx) => ctx.emit("Squeeze", [n.inputs[0].name, ctx.constant(n.params.axes)], [n.output.name]),
    kernel: ([x], { axes }) => reshapeArray(x, x.shape.filter((_, i) => !axes.includes(i))),
  },
  Concat: {
    arity: [1, Infinity],
    infer: (xs, { axis }, where) => {
      const first = xs[0];
      normalizeAxis(axis, first.shape.length, where);
      for (const x of xs) {
        if (x.dtype !== first.dtype || x.shape.length !== first.shape.length || x.shape.some((d, i) => i !== axis && d !== first.shape[i])) {
          throw new ShapeError(`${where()}: ${x.name} ${formatShape(x.shape)} ${x.dtype} does not match ${first.name} ${formatShape(first.shape)} ${first.dtype} off axis ${axis}`);
        }
      }
      const sizes = xs.map((x) => x.shape[axis]);
      const shape = [...first.shape];
      shape[axis] = sizes.every((d) => typeof d === "number") ? sizes.reduce<number>((s, d) => s + Number(d), 0) : sizes.join("+");
      const values = xs.every((x) => x.value) && first.shape.length === 1 ? xs.flatMap((x) => x.value ?? []) : undefined;
      return { dtype: first.dtype, shape, value: values };
    },
    lower: (n, ctx) => ctx.emit("Concat", n.inputs.map((t) => t.name), [n.output.name], { axis: { int: n.params.axis } }),
    kernel: (xs, { axis }) => concatArrays(xs, axis),
  },
  Slice: {
    arity: [1, 1],
    infer: ([x], { starts, ends, axes }, where) => {
      const shape = [...x.shape];
      axes.forEach((a, i) => {
        const ax = normalizeAxis(a, x.shape.length, where);
        shape[ax] = sliceDim(x.shape[ax], starts[i], ends[i]);
      });
      return { dtype: x.dtype, shape };
    },
    lower: (n, ctx) =>
      ctx.emit("Slice", [n.inputs[0].name, ctx.constant(n.params.starts), ctx.constant(n.params.ends), ctx.constant(n.params.axes)], [n.output.name]),
    kernel: ([x], { starts, ends, axes }) => {
      const lo = x.shape.map(() => 0);
      const outShape = [...x.shape];
      axes.forEach((a, i) => {
        const [s, e] = sliceBounds(starts[i], ends[i], x.shape[a]);
        lo[a] = s;
        outShape[a] = e - s;
      });
      const strides = stridesOf(x.shape);
      const base = lo.reduce((p, l, i) => p + l * strides[i], 0);
      const out = ndarray(x.dtype, outShape);
      forEachIndex(outShape, [strides], (i, [o]) => (out.data[i] = x.data[base + o]));
      return out;
    },
  },
  Pad: {
    arity: [1, 1],
    infer: ([x], { pads }, where) => {
      const r = x.shape.length;
      if (pads.length !== 2 * r || pads.some((p) => p < 0)) throw new ShapeError(`${where()}: pads [${pads.join(", ")}] must be ${2 * r} non-negative ints`);
      return { dtype: x.dtype, shape: x.shape.map((d, i) => (pads[i] + pads[i + r] === 0 ? d : typeof d === "number" ? d + pads[i] + pads[i + r] : `${d}+${pads[i] + pads[i + r]}`)) };
    },
    lower: (n, ctx) => ctx.emit("Pad", [n.inputs[0].name, ctx.constant(n.params.pads)], [n.output.name], { mode: { string: "constant" } }),
    kernel: ([x], { pads }) => {
      const r = x.shape.length;
      const outShape = x.shape.map((d, i) => d + pads[i] + pads[i + r]);
      const out = ndarray(x.dtype, outShape);
      const os = stridesOf(outShape);
      const base = pads.slice(0, r).reduce((p, b, i) => p + b * os[i], 0);
      forEachIndex(x.shape, [os], (i, [o]) => (out.data[base + o] = x.data[i]));
      return out;
    },
  },
};

export const movementVjp: VjpRules<MovementOp> = {
  Transpose: (g, { params: { perm } }, dy) => {
    const inverse = new Array<number>(perm.length);
    perm.forEach((p, i) => (inverse[p] = i));
    return [transpose(g, dy, inverse)];
  },
  Shape: () => [],
  Reshape: (g, { inputs: [x] }, dy) => [reshapeLike(g, dy, x)],
  Expand: (_g, _n, dy) => [dy],
  Unsqueeze: (g, { params: { axes } }, dy) => [squeeze(g, dy, axes)],
  Squeeze: (g, { params: { axes } }, dy) => [unsqueeze(g, dy, axes)],
  Concat: (g, { inputs, params: { axis } }, dy, need) => {
    let offset = 0;
    return inputs.map((x, i) => {
      const size = x.shape[axis];
      const last = i === inputs.length - 1;
      if (typeof size !== "number" && !last) throw new ShapeError(`Concat gradient: input ${x.name} has symbolic size ${size} on axis ${axis}; only the last input may`);
      const start = offset;
      offset += Number(size);
      return need[i] ? slice(g, dy, [start], [last ? TO_END : start + Number(size)], [axis]) : undefined;
    });
  },
  Slice: (g, { inputs: [x], params: { starts, ends, axes } }, dy) => {
    const r = x.shape.length;
    const pads = new Array<number>(2 * r).fill(0);
    axes.forEach((a, i) => {
      const d = x.shape[a];
      if (typeof d === "number") {
        const [s, e] = sliceBounds(starts[i], ends[i], d);
        pads[a] = s;
        pads[a + r] = d - e;
      } else if (starts[i] >= 0 && ends[i] === TO_END) pads[a] = starts[i];
      else throw new ShapeError(`Slice gradient: axis ${a} of ${x.name} ${formatShape(x.shape)} is symbolic; only [start ≥ 0, TO_END) slices of it are differentiable`);
    });
    return [pad(g, dy, pads)];
  },
  Pad: (g, { inputs: [x], params: { pads } }, dy) => {
    const r = x.shape.length;
    const axes = x.shape.map((_, i) => i);
    return [slice(g, dy, pads.slice(0, r), axes.map((i) => (pads[i + r] > 0 ? -pads[i + r] : TO_END)), axes)];
  },
};
