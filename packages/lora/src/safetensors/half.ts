/** IEEE half and bfloat16 ⇄ float32, on raw uint16 bits, rounding to nearest even on the way down. */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Converts F16 or BF16 bits to a new Float32Array. */
export function halfToFloat32(bits: Uint16Array, dtype: "F16" | "BF16"): Float32Array {
  const out = new Float32Array(bits.length);
  const view = new Uint32Array(out.buffer);
  if (dtype === "BF16") {
    for (let i = 0; i < bits.length; i++) view[i] = bits[i] << 16;
    return out;
  }
  for (let i = 0; i < bits.length; i++) view[i] = f16BitsToF32Bits(bits[i]);
  return out;
}

/** Converts float32 values to F16 or BF16 bits (round to nearest even; NaN stays NaN; overflow → ±Infinity). */
export function float32ToHalf(values: Float32Array, dtype: "F16" | "BF16"): Uint16Array {
  const out = new Uint16Array(values.length);
  const view = new Uint32Array(values.buffer, values.byteOffset, values.length);
  if (dtype === "BF16") {
    for (let i = 0; i < values.length; i++) {
      const x = view[i];
      if ((x & 0x7fffffff) > 0x7f800000) out[i] = (x >>> 16) | 0x40;
      else out[i] = (x + 0x7fff + ((x >>> 16) & 1)) >>> 16;
    }
    return out;
  }
  for (let i = 0; i < values.length; i++) out[i] = f32BitsToF16Bits(view[i]);
  return out;
}

function f16BitsToF32Bits(h: number): number {
  const sign = (h & 0x8000) << 16;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0x1f) return (sign | 0x7f800000 | (mant << 13)) >>> 0;
  if (exp !== 0) return (sign | ((exp + 112) << 23) | (mant << 13)) >>> 0;
  if (mant === 0) return sign >>> 0;
  // Subnormal half: its value is mant · 2^-24, exactly representable as a normal float32.
  f32[0] = mant * 5.960464477539063e-8;
  return (sign | u32[0]) >>> 0;
}

function f32BitsToF16Bits(x: number): number {
  const sign = (x >>> 16) & 0x8000;
  const abs = x & 0x7fffffff;
  if (abs > 0x7f800000) return sign | 0x7e00 | ((abs >>> 13) & 0x3ff);
  if (abs >= 0x477ff000) return sign | 0x7c00; // rounds past 65504
  if (abs < 0x38800000) {
    // Below the smallest normal half: scale into the subnormal grid and let float math round to even.
    u32[0] = abs;
    return sign | Math.round(roundHalfEven(f32[0] / 5.960464477539063e-8));
  }
  const rounded = abs + 0xfff + ((abs >>> 13) & 1);
  return sign | ((rounded - 0x38000000) >>> 13);
}

function roundHalfEven(v: number): number {
  const floor = Math.floor(v);
  const diff = v - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}
