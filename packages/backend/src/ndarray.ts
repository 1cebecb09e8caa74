import type { DType } from "./dtype.js";
import type { NDArray } from "./ops/types.js";

/** Float64 arrays for the reference interpreter: plain, strided loops, small shapes only. */
export function ndarray(dtype: DType, shape: readonly number[], data?: ArrayLike<number>): NDArray {
  const size = shape.reduce((p, d) => p * d, 1);
  const out = new Float64Array(size);
  if (data) {
    if (data.length !== size) throw new RangeError(`ndarray: ${data.length} values for shape [${shape.join(", ")}]`);
    out.set(data);
  }
  return { dtype, shape: [...shape], data: out };
}

export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

/** Strides of `shape` viewed as `outShape` under numpy broadcasting (0 where broadcast). */
export function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const own = stridesOf(shape);
  const pad = outShape.length - shape.length;
  return outShape.map((_, i) => (i < pad || shape[i - pad] === 1 ? 0 : own[i - pad]));
}

export function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  return Array.from({ length: rank }, (_, i) => {
    const da = a[i - (rank - a.length)] ?? 1;
    const db = b[i - (rank - b.length)] ?? 1;
    return da === 1 ? db : da;
  });
}

/** Calls `visit(outIndex, offsets)` over every element of `outShape`, with each operand's strided offset. */
export function forEachIndex(outShape: readonly number[], strides: readonly (readonly number[])[], visit: (i: number, offsets: readonly number[]) => void): void {
  const size = outShape.reduce((p, d) => p * d, 1);
  const rank = outShape.length;
  const counter = new Array<number>(rank).fill(0);
  const offsets = strides.map(() => 0);
  for (let i = 0; i < size; i++) {
    visit(i, offsets);
    for (let ax = rank - 1; ax >= 0; ax--) {
      counter[ax]++;
      for (let k = 0; k < strides.length; k++) offsets[k] += strides[k][ax];
      if (counter[ax] < outShape[ax]) break;
      for (let k = 0; k < strides.length; k++) offsets[k] -= strides[k][ax] * outShape[ax];
      counter[ax] = 0;
    }
  }
}

/** Elementwise op over broadcast operands. */
export function mapBroadcast(dtype: DType, inputs: readonly NDArray[], f: (...xs: number[]) => number): NDArray {
  const outShape = inputs.reduce<number[]>((s, x) => broadcastShape(s, x.shape), []);
  const out = ndarray(dtype, outShape);
  const strides = inputs.map((x) => broadcastStrides(x.shape, outShape));
  const args = new Array<number>(inputs.length);
  forEachIndex(outShape, strides, (i, offsets) => {
    for (let k = 0; k < inputs.length; k++) args[k] = inputs[k].data[offsets[k]];
    out.data[i] = f(...args);
  });
  return out;
}

/** A view of `x` with axes permuted, materialized. */
export function transposeArray(x: NDArray, perm: readonly number[]): NDArray {
  const outShape = perm.map((p) => x.shape[p]);
  const own = stridesOf(x.shape);
  const out = ndarray(x.dtype, outShape);
  forEachIndex(outShape, [perm.map((p) => own[p])], (i, [o]) => {
    out.data[i] = x.data[o];
  });
  return out;
}

/** Folds `axes` of `x` with `f` from `init`, keeping reduced dims as 1. */
export function reduceArray(x: NDArray, axes: readonly number[], init: number, f: (acc: number, v: number) => number): NDArray {
  const outShape = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const out = ndarray(x.dtype, outShape);
  out.data.fill(init);
  const outStrides = broadcastStrides(outShape, x.shape);
  forEachIndex(x.shape, [outStrides], (i, [o]) => {
    out.data[o] = f(out.data[o], x.data[i]);
  });
  return out;
}

export function reshapeArray(x: NDArray, shape: readonly number[]): NDArray {
  return { dtype: x.dtype, shape: [...shape], data: x.data };
}

/** Value conversion of Cast: truncation for ints, 0/1 for bool; floats stay float64 (the reference is exact). */
export function castValue(v: number, to: DType): number {
  if (to === "bool") return v !== 0 ? 1 : 0;
  if (to === "int64" || to === "int32") return Math.trunc(v);
  return v;
}
