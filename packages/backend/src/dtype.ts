/** Element types a graph tensor can have. */
export type DType = "float32" | "float64" | "int64" | "int32" | "bool";

/** Typed array that holds a dtype's elements on the host. */
export type HostArray = Float32Array | Float64Array | BigInt64Array | Int32Array | Uint8Array;

/** ONNX TensorProto.DataType codes. */
export const onnxDataType: { readonly [D in DType]: number } = {
  float32: 1,
  float64: 11,
  int64: 7,
  int32: 6,
  bool: 9,
};

export function isFloat(dtype: DType): boolean {
  return dtype === "float32" || dtype === "float64";
}

/** A typed array of `dtype` filled from float64 values (integers truncated, bools as 0/1). */
export function hostArrayFrom(dtype: DType, values: ArrayLike<number>): HostArray {
  switch (dtype) {
    case "float32":
      return Float32Array.from(values);
    case "float64":
      return Float64Array.from(values);
    case "int32":
      return Int32Array.from(values, (v) => Math.trunc(v));
    case "int64":
      return BigInt64Array.from(Array.from(values, (v) => BigInt(Math.trunc(v))));
    case "bool":
      return Uint8Array.from(values, (v) => (v !== 0 ? 1 : 0));
    default:
      return dtype satisfies never;
  }
}

/** Float64 copy of any host array (int64 through Number, exact up to 2^53). */
export function toFloat64(data: HostArray): Float64Array {
  if (data instanceof BigInt64Array) return Float64Array.from(data, (v) => Number(v));
  return Float64Array.from(data);
}

/** The dtype a host array holds, for checking feeds. */
export function dtypeOfHostArray(data: HostArray): DType {
  if (data instanceof Float32Array) return "float32";
  if (data instanceof Float64Array) return "float64";
  if (data instanceof BigInt64Array) return "int64";
  if (data instanceof Int32Array) return "int32";
  return "bool";
}
