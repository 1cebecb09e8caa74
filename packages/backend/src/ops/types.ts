import type { DType } from "../dtype.js";
import type { Dim, Shape } from "../shape.js";
import type { Graph } from "../graph.js";

type None = Record<string, never>;
type Reduce = { /** Normalized axes (non-negative, sorted). */ axes: number[]; keepdims: boolean };

/** Parameters of each primitive op; the keys are the op vocabulary. */
export interface OpParams {
  Add: None;
  Sub: None;
  Mul: None;
  Div: None;
  Pow: None;
  Sqrt: None;
  Exp: None;
  Log: None;
  Neg: None;
  Tanh: None;
  Erf: None;
  Sigmoid: None;
  Equal: None;
  Less: None;
  Where: None;
  Cast: { to: DType };
  MatMul: None;
  Gemm: { transA: boolean; transB: boolean; alpha: number; beta: number };
  ReduceSum: Reduce;
  ReduceMean: Reduce;
  ReduceMax: Reduce;
  Softmax: { axis: number };
  LogSoftmax: { axis: number };
  Transpose: { perm: number[] };
  Reshape: None;
  Expand: None;
  Unsqueeze: { axes: number[] };
  Squeeze: { axes: number[] };
  Concat: { axis: number };
  Slice: { starts: number[]; ends: number[]; axes: number[] };
  Pad: { pads: number[] };
  Gather: { axis: number };
  ScatterAdd: None;
  Shape: None;
  Range: None;
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
  readonly dtype: DType;
  readonly shape: Shape;
  /** Known contents of a small integer tensor (shape vectors, sizes), used by shape inference. */
  readonly value?: readonly Dim[] | undefined;
  /** The node that computes it; undefined for inputs and initializers. */
  readonly producer?: Node | undefined;
}

/** One primitive application; every op has exactly one output. */
export interface Node<K extends OpType = OpType> {
  readonly id: number;
  readonly op: K;
  /** Unique, scoped name, e.g. `layer0/attn/q_proj/MatMul`. */
  readonly name: string;
  readonly inputs: readonly Tensor[];
  readonly output: Tensor;
  readonly params: OpParams[K];
}

/** What shape inference returns for a node's output. */
export interface Inferred {
  dtype: DType;
  shape: Shape;
  value?: readonly Dim[] | undefined;
}

/** A float64 array of the reference interpreter; integers and bools are stored as float64 too. */
export interface NDArray {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly data: Float64Array;
}

/** ONNX attribute values, tagged so ints and floats stay distinct. */
export type AttrValue =
  | { readonly int: number }
  | { readonly float: number }
  | { readonly ints: readonly number[] }
  | { readonly string: string }
  | { readonly tensor: { readonly dtype: DType; readonly values: readonly number[]; readonly dims: readonly number[] } };

/** How an op emits ONNX nodes. */
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
  lower(node: Node<K>, ctx: LowerContext): void;
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
