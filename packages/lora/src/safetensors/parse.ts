/**
 * safetensors reading on bytes (no I/O): header validation following huggingface/safetensors' rules, then tensor
 * views. Layout: u64 little-endian header length n, n bytes of UTF-8 JSON, then the data section; every tensor's
 * data_offsets are relative to the data section, and together they must tile it exactly.
 */
import { SAFETENSORS_MAX_HEADER_BYTES } from "../constants.js";
import { SafetensorsDtypeError, SafetensorsHeaderError, SafetensorsOffsetError, SafetensorsShapeError } from "../errors.js";
import { DTYPES, isDType, type DType, type Tensor, type TensorData } from "./dtypes.js";
import { halfToFloat32 } from "./half.js";

/** Where one tensor lives in the file. */
export interface TensorInfo {
  /** Tensor name (the header key). */
  name: string;
  /** Element type. */
  dtype: DType;
  /** Dimensions. */
  shape: number[];
  /** Byte offset of the first element, from the start of the data section. */
  begin: number;
  /** Byte offset one past the last element, from the start of the data section. */
  end: number;
}

/** A validated header. */
export interface SafetensorsHeader {
  /** Byte offset of the data section in the file (8 + header length). */
  dataStart: number;
  /** Tensors in data order. */
  tensors: TensorInfo[];
  /** The `__metadata__` string map, or null when absent. */
  metadata: Record<string, string> | null;
}

/** Options of reading tensors. */
export interface ReadOptions {
  /** Return F16 and BF16 tensors converted to F32 (a copy) instead of their raw bits. Defaults to `false`. */
  upcastHalf?: boolean;
}

/** A parsed file: metadata plus tensors by name, in data order. */
export interface Safetensors {
  /** The `__metadata__` string map, or null. */
  metadata: Record<string, string> | null;
  /** Tensors by name. */
  tensors: Map<string, Tensor>;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Reads the header length from the first 8 bytes and checks it against the limit and the file length. */
export function readHeaderLength(prefix: Uint8Array, fileLength: number, file: string): number {
  if (fileLength < 8 || prefix.length < 8) {
    throw new SafetensorsHeaderError(`${fileLength} bytes is too short; a safetensors file starts with an 8-byte header length`, file);
  }
  const view = new DataView(prefix.buffer, prefix.byteOffset, 8);
  const low = view.getUint32(0, true);
  const high = view.getUint32(4, true);
  const n = high * 4294967296 + low;
  if (high !== 0 || n > SAFETENSORS_MAX_HEADER_BYTES) {
    throw new SafetensorsHeaderError(`header length ${n} exceeds the ${SAFETENSORS_MAX_HEADER_BYTES}-byte limit`, file);
  }
  if (8 + n > fileLength) {
    throw new SafetensorsHeaderError(`header length ${n} runs past the end of the file (${fileLength} bytes)`, file);
  }
  return n;
}

/** Validates the JSON header (the n bytes after the prefix) against a file of `fileLength` bytes. */
export function parseHeader(json: Uint8Array, fileLength: number, file: string): SafetensorsHeader {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(json);
  } catch {
    throw new SafetensorsHeaderError("header is not valid UTF-8", file);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new SafetensorsHeaderError(`header is not valid JSON (${(e as Error).message})`, file);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new SafetensorsHeaderError("header is not a JSON object", file);
  }
  const dataStart = 8 + json.length;
  const dataLength = fileLength - dataStart;
  let metadata: Record<string, string> | null = null;
  const tensors: TensorInfo[] = [];
  for (const [name, entry] of Object.entries(parsed as Record<string, unknown>)) {
    if (name === "__metadata__") {
      if (typeof entry !== "object" || entry === null || Object.values(entry).some((v) => typeof v !== "string")) {
        throw new SafetensorsHeaderError("__metadata__ must map strings to strings", file);
      }
      metadata = { ...(entry as Record<string, string>) };
      continue;
    }
    tensors.push(parseEntry(name, entry, dataLength, file));
  }
  tensors.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  let previous = "";
  for (const t of tensors) {
    if (t.begin < expected) {
      throw new SafetensorsOffsetError(`tensor "${t.name}" data_offsets [${t.begin}, ${t.end}] overlap tensor "${previous}" (ends at ${expected})`, file);
    }
    if (t.begin > expected) {
      throw new SafetensorsOffsetError(`tensor "${t.name}" starts at ${t.begin} but the previous tensor ends at ${expected}: gap in the data section`, file);
    }
    expected = t.end;
    previous = t.name;
  }
  if (expected !== dataLength) {
    throw new SafetensorsOffsetError(`tensors cover ${expected} bytes but the data section holds ${dataLength}`, file);
  }
  return { dataStart, tensors, metadata };
}

function parseEntry(name: string, entry: unknown, dataLength: number, file: string): TensorInfo {
  if (typeof entry !== "object" || entry === null) throw new SafetensorsHeaderError(`tensor "${name}" entry is not an object`, file);
  const { dtype, shape, data_offsets: offsets } = entry as Record<string, unknown>;
  if (!isDType(dtype)) {
    throw new SafetensorsDtypeError(`tensor "${name}" has dtype ${JSON.stringify(dtype)}; expected one of ${Object.keys(DTYPES).join(", ")}`, file);
  }
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new SafetensorsShapeError(`tensor "${name}" shape ${JSON.stringify(shape)} is not a list of non-negative integers`, file);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((d) => Number.isSafeInteger(d) && d >= 0) || offsets[0] > offsets[1]) {
    throw new SafetensorsOffsetError(`tensor "${name}" data_offsets ${JSON.stringify(offsets)} are not [begin, end] with 0 ≤ begin ≤ end`, file);
  }
  const [begin, end] = offsets as [number, number];
  if (end > dataLength) {
    throw new SafetensorsOffsetError(`tensor "${name}" data_offsets [${begin}, ${end}] lie outside the ${dataLength}-byte data section`, file);
  }
  let bytes = DTYPES[dtype].size;
  for (const d of shape as number[]) {
    bytes *= d;
    if (!Number.isSafeInteger(bytes)) throw new SafetensorsShapeError(`tensor "${name}" shape ${JSON.stringify(shape)} overflows`, file);
  }
  if (bytes !== end - begin) {
    throw new SafetensorsShapeError(
      `tensor "${name}" shape ${JSON.stringify(shape)} × ${dtype} needs ${bytes} bytes but data_offsets span ${end - begin}`,
      file,
    );
  }
  return { name, dtype, shape: [...(shape as number[])], begin, end };
}

/**
 * A tensor from the bytes of its data range. Aligned ranges become views on `bytes`' buffer (no copy; they share
 * memory with it); unaligned ones, as older writers produce, are copied.
 */
export function tensorFromBytes(info: TensorInfo, bytes: Uint8Array, options: ReadOptions = {}): Tensor {
  if (!LITTLE_ENDIAN) throw new RangeError("safetensors data is little-endian; this host is big-endian");
  const { size, make } = DTYPES[info.dtype];
  const length = (info.end - info.begin) / size;
  let source = bytes;
  if (bytes.byteOffset % size !== 0) source = bytes.slice();
  const data: TensorData = make(source.buffer, source.byteOffset, length);
  if (options.upcastHalf === true && (info.dtype === "F16" || info.dtype === "BF16")) {
    return { dtype: "F32", shape: info.shape, data: halfToFloat32(data as Uint16Array, info.dtype) };
  }
  return { dtype: info.dtype, shape: info.shape, data } as Tensor;
}

/** Parses a whole safetensors file held in memory. `file` names it in errors. */
export function parseSafetensors(bytes: Uint8Array, options: ReadOptions & { file?: string } = {}): Safetensors {
  const file = options.file ?? "<bytes>";
  const n = readHeaderLength(bytes, bytes.length, file);
  const header = parseHeader(bytes.subarray(8, 8 + n), bytes.length, file);
  const tensors = new Map<string, Tensor>();
  for (const info of header.tensors) {
    const start = header.dataStart + info.begin;
    tensors.set(info.name, tensorFromBytes(info, bytes.subarray(start, header.dataStart + info.end), options));
  }
  return { metadata: header.metadata, tensors };
}
