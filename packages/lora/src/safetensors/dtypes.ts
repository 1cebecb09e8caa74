/** safetensors dtypes and the typed array each is read into (half floats stay as their raw uint16 bits). */

/** A dtype name as it appears in a safetensors header. */
export type DType = "F64" | "F32" | "F16" | "BF16" | "I64" | "U64" | "I32" | "U32" | "I16" | "U16" | "I8" | "U8" | "BOOL";

/** The typed array holding a tensor of each dtype. */
export interface DTypeArrays {
  /** float64 */
  F64: Float64Array;
  /** float32 */
  F32: Float32Array;
  /** IEEE half floats, as raw bits (see halfToFloat32). */
  F16: Uint16Array;
  /** bfloat16, as raw bits (see halfToFloat32). */
  BF16: Uint16Array;
  /** int64 */
  I64: BigInt64Array;
  /** uint64 */
  U64: BigUint64Array;
  /** int32 */
  I32: Int32Array;
  /** uint32 */
  U32: Uint32Array;
  /** int16 */
  I16: Int16Array;
  /** uint16 */
  U16: Uint16Array;
  /** int8 */
  I8: Int8Array;
  /** uint8 */
  U8: Uint8Array;
  /** bool, one byte each */
  BOOL: Uint8Array;
}

/** Any tensor's element storage. */
export type TensorData = DTypeArrays[DType];

/** A tensor: dtype, shape (row-major) and elements. */
export interface Tensor<D extends DType = DType> {
  /** Element type. */
  dtype: D;
  /** Dimensions, outermost first; [] for a scalar. */
  shape: number[];
  /** The elements, row-major, numel(shape) long. */
  data: DTypeArrays[D];
}

/**
 * Element size and typed-array view constructor of one dtype (shown inline in the docs, as it is not exported).
 * @inline
 */
interface DTypeInfo {
  /** Bytes per element. */
  size: number;
  /** Views `length` elements of `buffer` starting at `byteOffset` (no copy) as the dtype's typed array. */
  make: (buffer: ArrayBufferLike, byteOffset: number, length: number) => TensorData;
}

/** Element size and typed-array constructor per dtype. */
export const DTYPES: Record<DType, DTypeInfo> = {
  F64: { size: 8, make: (b, o, n) => new Float64Array(b, o, n) },
  F32: { size: 4, make: (b, o, n) => new Float32Array(b, o, n) },
  F16: { size: 2, make: (b, o, n) => new Uint16Array(b, o, n) },
  BF16: { size: 2, make: (b, o, n) => new Uint16Array(b, o, n) },
  I64: { size: 8, make: (b, o, n) => new BigInt64Array(b, o, n) },
  U64: { size: 8, make: (b, o, n) => new BigUint64Array(b, o, n) },
  I32: { size: 4, make: (b, o, n) => new Int32Array(b, o, n) },
  U32: { size: 4, make: (b, o, n) => new Uint32Array(b, o, n) },
  I16: { size: 2, make: (b, o, n) => new Int16Array(b, o, n) },
  U16: { size: 2, make: (b, o, n) => new Uint16Array(b, o, n) },
  I8: { size: 1, make: (b, o, n) => new Int8Array(b, o, n) },
  U8: { size: 1, make: (b, o, n) => new Uint8Array(b, o, n) },
  BOOL: { size: 1, make: (b, o, n) => new Uint8Array(b, o, n) },
};

/** True when `name` is a dtype this package reads. */
export function isDType(name: unknown): name is DType {
  return typeof name === "string" && Object.hasOwn(DTYPES, name);
}

/** Number of elements of a shape (1 for a scalar). */
export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
