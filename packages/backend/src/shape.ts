import { ShapeError } from "./errors.js";

/** One dimension: a static size or a named symbolic size such as `batch` or `seq`. */
export type Dim = number | string;
/** A tensor shape; `[]` is a scalar. */
export type Shape = readonly Dim[];

export function formatShape(shape: Shape): string {
  return `[${shape.join(", ")}]`;
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Number of elements when every dim is static, else undefined. */
export function staticSize(shape: Shape): number | undefined {
  let n = 1;
  for (const d of shape) {
    if (typeof d !== "number") return undefined;
    n *= d;
  }
  return n;
}

/** Numpy-style broadcast of two shapes; `where` names the op for the error. */
export function broadcastShapes(a: Shape, b: Shape, where: () => string): Dim[] {
  const rank = Math.max(a.length, b.length);
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    const da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
    const db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
    if (da === db || db === 1) out.push(da);
    else if (da === 1) out.push(db);
    else
      throw new ShapeError(
        `${where()}: shapes ${formatShape(a)} and ${formatShape(b)} do not broadcast (dim ${i}: ${da} vs ${db})`,
      );
  }
  return out;
}

/** Axis in [0, rank) from a possibly negative axis; `where` names the op for the error. */
export function normalizeAxis(axis: number, rank: number, where: () => string): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= rank) {
    throw new ShapeError(`${where()}: axis ${axis} is out of range for rank ${rank}`);
  }
  return a;
}

/** Product of dims as a dim: a number when all are static, else a `a*b` symbol. */
export function dimProduct(dims: Shape): Dim {
  const size = staticSize(dims);
  if (size !== undefined) return size;
  const nums = dims.filter((d): d is number => typeof d === "number").reduce((p, d) => p * d, 1);
  const syms = dims.filter((d) => typeof d === "string");
  return [...(nums === 1 ? [] : [String(nums)]), ...syms].join("*");
}
