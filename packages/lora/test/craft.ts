/** Builds safetensors bytes by hand (header JSON + data), independently of the package's writer. */
export function craft(header: unknown, data: Uint8Array, options: { headerLength?: number; pad?: number } = {}): Uint8Array {
  const json = new TextEncoder().encode(typeof header === "string" ? header : JSON.stringify(header));
  const padded = json.length + (options.pad ?? 0);
  const out = new Uint8Array(8 + padded + data.length);
  const view = new DataView(out.buffer);
  const n = options.headerLength ?? padded;
  view.setUint32(0, n % 4294967296, true);
  view.setUint32(4, Math.floor(n / 4294967296), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + padded);
  out.set(data, 8 + padded);
  return out;
}

export function f32Bytes(values: number[]): Uint8Array {
  return new Uint8Array(new Float32Array(values).buffer);
}
