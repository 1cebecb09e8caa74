import type { DType } from "../dtype.js";
import type { Dim, Shape } from "../shape.js";
import type { Graph } from "../graph.js";

/**
 * Parameters of an op without attributes.
 * @inline
 */
type None = Record<string, never>;
/**
 * Parameters of the reductions.
 * @inline
 */
type Reduce = { /** Normalized axes (non-negative, sorted). */ axes: number[]; keepdims: boolean };

/** Parameters of each primitive op; the keys are the op vocabulary. */
export interface OpParams {
  /** Elementwise `a + b`, numpy-style broadcasting; no attributes. */
  Add: None;
  /** Elementwise `a − b`, numpy-style broadcasting. */
  Sub: None;
  /** Elementwise `a · b`, numpy-style broadcasting. */
  Mul: None;
  /** Elementwise `a / b`, numpy-style broadcasting. */
  Div: None;
  /** Elementwise `a ** b`, numpy-style broadcasting. */
  Pow: None;
  /** Elementwise integer `a mod b` with the divisor's sign (ONNX Mod, `fmod` 0), numpy-style broadcasting; integers only. */
  Mod: None;
  /** Elementwise square root of a float tensor. */
  Sqrt: None;
  /** Elementwise `eˣ` of a float tensor. */
  Exp: None;
  /** Elementwise natural log of a float tensor. */
  Log: None;
  /** Elementwise `−x` of a float tensor. */
  Neg: None;
  /** Elementwise hyperbolic tangent of a float tensor. */
  Tanh: None;
  /** Elementwise error function of a float tensor. */
  Erf: None;
  /** Elementwise `1 / (1 + e⁻ˣ)` of a float tensor. */
  Sigmoid: None;
  /** Elementwise `a == b` with broadcasting; the output is bool. */
  Equal: None;
  /** Elementwise `a < b` with broadcasting; the output is bool. */
  Less: None;
  /** Elementwise `cond ? a : b`; all three broadcast and `cond` is bool. */
  Where: None;
  /** Converts to dtype `to`; the shape is unchanged. */
  Cast: { to: DType };
  /** Matrix product over the last two axes; leading axes broadcast. */
  MatMul: None;
  /** `alpha·op(a)·op(b) + beta·c` on 2-D operands, `op` transposing when `transA` / `transB` is set. */
  Gemm: { transA: boolean; transB: boolean; alpha: number; beta: number };
  /** Sum over `axes`; `keepdims` keeps them as size 1. */
  ReduceSum: Reduce;
  /** Mean over `axes`; `keepdims` keeps them as size 1. */
  ReduceMean: Reduce;
  /** Maximum over `axes`; `keepdims` keeps them as size 1. */
  ReduceMax: Reduce;
  /** Softmax along the non-negative `axis`; the shape is unchanged. */
  Softmax: { axis: number };
  /** Log of the softmax along the non-negative `axis`; the shape is unchanged. */
  LogSoftmax: { axis: number };
  /** Permutes the axes: output axis `i` is input axis `perm[i]`. */
  Transpose: { perm: number[] };
  /** Reshapes to the second input's known value (a constant or a `Shape` output); `0` copies the input dim, `-1` is inferred. */
  Reshape: None;
  /** Broadcasts to the second input's known value (a constant or a `Shape` output). */
  Expand: None;
  /** Inserts size-1 axes at `axes` (positions in the output, non-negative, sorted). */
  Unsqueeze: { axes: number[] };
  /** Removes the size-1 axes `axes` (non-negative, sorted). */
  Squeeze: { axes: number[] };
  /** Joins the inputs along the non-negative `axis`; dtypes and the other dims must match. */
  Concat: { axis: number };
  /** Keeps `[starts[i], ends[i])` on each of `axes`, step 1; negative bounds count from the end. */
  Slice: { starts: number[]; ends: number[]; axes: number[] };
  /** Zero padding; `pads` is `[begin_0…begin_r-1, end_0…end_r-1]`. */
  Pad: { pads: number[] };
  /** Takes the slices of the first input at the integer indices of the second along `axis`. */
  Gather: { axis: number };
  /** Zeros shaped like the first input, with the rows of `updates` added at the first-axis `indices` (repeats accumulate). */
  ScatterAdd: None;
  /** The input's shape as an int64 vector whose contents stay known for shape inference. */
  Shape: None;
  /** `[start, limit)` in steps of `delta`, from three scalar inputs of one dtype. */
  Range: None;
  /** Keeps the upper (`upper`) or lower triangle of the last two axes from diagonal `k`, zeroing the rest. */
  Trilu: { upper: boolean; k: number };
}

/** The op vocabulary. */
export type OpType = keyof OpParams;

/** A symbolic tensor: the output of a node, a graph input or an initializer. */
export interface Tensor {
  /** Id of the graph that owns it. */
  readonly graph: number;
  /** Creation order in its graph; also a topological order. */
  readonly id: number;
  /** Unique name; the ONNX value name. */
  readonly name: string;
  /** Element type. */
  readonly dtype: DType;
  /** Dims, static or symbolic; `[]` is a scalar. */
  readonly shape: Shape;
  /** Known contents of a small integer tensor (shape vectors, sizes), used by shape inference. */
  readonly value?: readonly Dim[] | undefined;
  /** The node that computes it; undefined for inputs and initializers. */
  readonly producer?: Node | undefined;
}

/** One primitive application; every op has exactly one output. */
export interface Node<K extends OpType = OpType> {
  /** Position in its graph's `nodes`. */
  readonly id: number;
  /** The primitive it applies. */
  readonly op: K;
  /** Unique, scoped name, e.g. `layer0/attn/q_proj/MatMul`. */
  readonly name: string;
  /** Operands, in the op's order. */
  readonly inputs: readonly Tensor[];
  /** The single result; its `producer` is this node. */
  readonly output: Tensor;
  /** The op's attributes. */
  readonly params: OpParams[K];
}

/**
 * What shape inference returns for a node's output.
 * @inline
 */
export interface Inferred {
  dtype: DType;
  shape: Shape;
  value?: readonly Dim[] | undefined;
}

/** A float64 array of the reference interpreter; integers and bools are stored as float64 too. */
export interface NDArray {
  /** Logical element type; the values are float64 whatever it is. */
  readonly dtype: DType;
  /** Static dims; `[]` is a scalar. */
  readonly shape: readonly number[];
  /** Row-major values. */
  readonly data: Float64Array;
}

/**
 * ONNX attribute values, tagged so ints and floats stay distinct.
 * @inline
 */
export type AttrValue =
  | { readonly int: number }
  | { readonly float: number }
  | { readonly ints: readonly number[] }
  | { readonly string: string }
  | { readonly tensor: { readonly dtype: DType; readonly values: readonly number[]; readonly dims: readonly number[] } };

/**
 * How an op emits ONNX nodes.
 * @inline
 */
export interface LowerContext {
  /** Adds one ONNX node; `suffix` distinguishes helper nodes of the same graph node. */
  emit(op: string, inputs: readonly string[], outputs: readonly string[], attrs?: Record<string, AttrValue>, suffix?: string): void;
  /** Name of a constant initializer (int64 unless `dtype` says otherwise); `dims` defaults to 1-D. */
  constant(values: readonly number[], dtype?: DType, dims?: readonly number[]): string;
  /** A fresh intermediate value name derived from the node's name. */
  fresh(suffix: string): string;
}

/** Everything one op needs apart from its gradient: shape inference, ONNX lowering, float64 kernel. */
export interface OpDef<K extends OpType> {
  /** Number of inputs accepted, [min, max]. */
  readonly arity: readonly [number, number];
  /** Output dtype and shape; `where()` describes the node for errors. */
  infer(inputs: readonly Tensor[], params: OpParams[K], where: () => string): Inferred;
  /** Emits the node as one or more ONNX nodes through `ctx`. */
  lower(node: Node<K>, ctx: LowerContext): void;
  /** Computes the output on float64 arrays (the reference interpreter). */
  kernel(inputs: readonly NDArray[], params: OpParams[K]): NDArray;
}

/**
 * Vector-Jacobian product: given the output gradient `dy`, the gradients of the inputs that are `needed`
 * (undefined elsewhere). Results may be broadcast-shaped; the walker sums them back to each input's shape.
 */
export type VjpRule<K extends OpType> = (
  g: Graph,
  node: Node<K>,
  dy: Tensor,
  needed: readonly boolean[],
) => readonly (Tensor | undefined)[];

export type OpDefs<K extends OpType> = { readonly [P in K]: OpDef<P> };
export type VjpRules<K extends OpType> = { readonly [P in K]: VjpRule<P> };
