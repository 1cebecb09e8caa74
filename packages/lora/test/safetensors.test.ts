import { describe, expect, it } from "vitest";
import {
  float32ToHalf,
  halfToFloat32,
  parseSafetensors,
  SafetensorsDtypeError,
  SafetensorsHeaderError,
  SafetensorsOffsetError,
  SafetensorsShapeError,
  serializeSafetensors,
  type Tensor,
} from "../src/index.js";
import { craft, f32Bytes } from "./craft.js";

describe("safetensors round trip", () => {
  it("writes and reads F32, F16, BF16, I64, F64, U8 with shapes and metadata", () => {
    const tensors = new Map<string, Tensor>([
      ["a.weight", { dtype: "F32", shape: [2, 3], data: new Float32Array([1, 2, 3, 4, 5, -6.5]) }],
      ["b", { dtype: "F16", shape: [3], data: new Uint16Array([0x3c00, 0xc000, 0x7bff]) }],
      ["c", { dtype: "BF16", shape: [2], data: new Uint16Array([0x3f80, 0x4049]) }],
      ["ids", { dtype: "I64", shape: [2, 1], data: new BigInt64Array([-3n, 9007199254740993n]) }],
      ["d", { dtype: "F64", shape: [], data: new Float64Array([Math.PI]) }],
      ["mask", { dtype: "U8", shape: [0], data: new Uint8Array(0) }],
    ]);
    const bytes = serializeSafetensors(tensors, { format: "pt" });
    const back = parseSafetensors(bytes);
    expect(back.metadata).toEqual({ format: "pt" });
    for (const [name, t] of tensors) {
      const r = back.tensors.get(name)!;
      expect(r.dtype).toBe(t.dtype);
      expect(r.shape).toEqual(t.shape);
      expect([...r.data]).toEqual([...t.data]);
    }
    // Deterministic: the same tensors give the same bytes.
    expect(serializeSafetensors(back.tensors, back.metadata)).toEqual(bytes);
  });

  it("reads aligned tensors as views of the input (no copy) and unaligned ones by copying", () => {
    const bytes = serializeSafetensors({ w: { dtype: "F32", shape: [2], data: new Float32Array([1, 2]) } });
    expect(parseSafetensors(bytes).tensors.get("w")!.data.buffer).toBe(bytes.buffer);
    // Pad the header so the data starts at an offset ≡ 1 (mod 4), as some old writers left it.
    const header = { w: { dtype: "F32", shape: [2], data_offsets: [0, 8] } };
    const length = JSON.stringify(header).length;
    const odd = craft(header, f32Bytes([3, 4]), { pad: (((1 - (8 + length)) % 4) + 4) % 4 });
    const t = parseSafetensors(odd).tensors.get("w")!;
    expect(t.data.buffer).not.toBe(odd.buffer);
    expect([...t.data]).toEqual([3, 4]);
  });

  it("upcasts F16 and BF16 to F32 when asked", () => {
    const bytes = serializeSafetensors({
      h: { dtype: "F16", shape: [4], data: new Uint16Array([0x3c00, 0x0001, 0xfc00, 0x3555]) },
      b: { dtype: "BF16", shape: [1], data: new Uint16Array([0xc0a0]) },
    });
    const t = parseSafetensors(bytes, { upcastHalf: true }).tensors;
    expect(t.get("h")!.dtype).toBe("F32");
    expect([...t.get("h")!.data]).toEqual([1, 2 ** -24, -Infinity, 0.333251953125]);
    expect([...t.get("b")!.data]).toEqual([-5]);
  });
});

describe("half conversions", () => {
  it("match hand-computed bit patterns, rounding to nearest even", () => {
    const v = new Float32Array([1, -2, 65504, 65520, 1e-8, 2 ** -24, 2 ** -14, 1 + 2 ** -11, 1 + 3 * 2 ** -11, NaN, 0.1]);
    expect([...float32ToHalf(v, "F16")].map((x) => x.toString(16))).toEqual(
      ["3c00", "c000", "7bff", "7c00", "0", "1", "400", "3c00", "3c02", "7e00", "2e66"],
    );
    expect([...float32ToHalf(new Float32Array([1, 1 + 2 ** -8, 1 + 3 * 2 ** -8, -0.1]), "BF16")].map((x) => x.toString(16))).toEqual(
      ["3f80", "3f80", "3f82", "bdcd"],
    );
    const all = new Uint16Array(65536).map((_, i) => i);
    const back = float32ToHalf(halfToFloat32(all, "F16"), "F16");
    for (let i = 0; i < 65536; i++) {
      const isNaN = (i & 0x7c00) === 0x7c00 && (i & 0x3ff) !== 0;
      if (!isNaN) expect(back[i]).toBe(i);
    }
  });
});

describe("corrupt files raise typed errors", () => {
  const ok = { w: { dtype: "F32", shape: [2], data_offsets: [0, 8] } };
  const data = f32Bytes([1, 2]);

  it.each([
    ["a file shorter than 8 bytes", new Uint8Array(5), SafetensorsHeaderError, /too short/],
    ["a header length larger than the file", craft(ok, data, { headerLength: 1000 }), SafetensorsHeaderError, /runs past the end/],
    ["a header over 100 MB", craft(ok, data, { headerLength: 100_000_001 }), SafetensorsHeaderError, /exceeds the 100000000-byte limit/],
    ["a header length over 2^32", craft(ok, data, { headerLength: 2 ** 33 }), SafetensorsHeaderError, /exceeds/],
    ["a header that is not JSON", craft("{not json", data), SafetensorsHeaderError, /not valid JSON/],
    ["a header that is a JSON array", craft("[]", new Uint8Array(0)), SafetensorsHeaderError, /not a JSON object/],
    ["an unknown dtype", craft({ w: { dtype: "F4", shape: [2], data_offsets: [0, 8] } }, data), SafetensorsDtypeError, /"w" has dtype "F4"/],
    ["out-of-range offsets", craft({ w: { dtype: "F32", shape: [4], data_offsets: [0, 16] } }, data), SafetensorsOffsetError, /outside the 8-byte data section/],
    [
      "overlapping offsets",
      craft({ a: { dtype: "F32", shape: [2], data_offsets: [0, 8] }, b: { dtype: "F32", shape: [1], data_offsets: [4, 8] } }, data),
      SafetensorsOffsetError,
      /overlap tensor "a"/,
    ],
    [
      "a gap between tensors",
      craft({ a: { dtype: "F32", shape: [1], data_offsets: [0, 4] }, b: { dtype: "U8", shape: [2], data_offsets: [6, 8] } }, data),
      SafetensorsOffsetError,
      /gap/,
    ],
    ["trailing bytes no tensor covers", craft({ w: { dtype: "F32", shape: [1], data_offsets: [0, 4] } }, data), SafetensorsOffsetError, /cover 4 bytes but the data section holds 8/],
    ["a shape that does not match the byte length", craft({ w: { dtype: "F32", shape: [3], data_offsets: [0, 8] } }, data), SafetensorsShapeError, /needs 12 bytes but data_offsets span 8/],
    ["a non-integer shape", craft({ w: { dtype: "F32", shape: [2.5], data_offsets: [0, 8] } }, data), SafetensorsShapeError, /not a list of non-negative integers/],
    ["reversed offsets", craft({ w: { dtype: "F32", shape: [2], data_offsets: [8, 0] } }, data), SafetensorsOffsetError, /0 ≤ begin ≤ end/],
    ["bad __metadata__", craft({ __metadata__: { a: 1 }, ...ok }, data), SafetensorsHeaderError, /__metadata__/],
    ["invalid UTF-8 in the header", craft("{}", new Uint8Array(0), {}).map((b, i) => (i === 8 ? 0xff : b)), SafetensorsHeaderError, /UTF-8/],
  ])("%s", (_, bytes, type, message) => {
    expect(() => parseSafetensors(bytes, { file: "bad.safetensors" })).toThrow(type);
    expect(() => parseSafetensors(bytes, { file: "bad.safetensors" })).toThrow(message);
    expect(() => parseSafetensors(bytes, { file: "bad.safetensors" })).toThrow(/^bad\.safetensors: /);
  });

  it("refuses to write a tensor whose data does not fit its shape", () => {
    expect(() => serializeSafetensors({ w: { dtype: "F32", shape: [3], data: new Float32Array(2) } })).toThrow(SafetensorsShapeError);
  });
});
