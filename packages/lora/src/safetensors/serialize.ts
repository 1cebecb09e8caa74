/** safetensors writing on bytes: deterministic (same tensors → same bytes) and aligned. */
import { SafetensorsShapeError } from "../errors.js";
import { DTYPES, numel, type Tensor } from "./dtypes.js";

/**
 * Serialises tensors (plus an optional `__metadata__` string map). As the reference writer does, tensors are laid
 * out largest element size first, then by name, after a header space-padded to a multiple of 8 bytes, so every
 * tensor starts aligned for its dtype and readers can view it without copying.
 */
export function serializeSafetensors(
  tensors: ReadonlyMap<string, Tensor> | Readonly<Record<string, Tensor>>,
  metadata: Readonly<Record<string, string>> | null = null,
): Uint8Array {
  const entries: [string, Tensor][] = tensors instanceof Map ? [...tensors.entries()] : Object.entries(tensors);
  for (const [name, t] of entries) {
    if (name === "__metadata__") throw new SafetensorsShapeError(`"__metadata__" is reserved and cannot name a tensor`, "<write>");
    if (t.data.length !== numel(t.shape)) {
      throw new SafetensorsShapeError(`tensor "${name}" has ${t.data.length} elements but shape [${t.shape.join(", ")}]`, "<write>");
    }
  }
  entries.sort(([an, a], [bn, b]) => DTYPES[b.dtype].size - DTYPES[a.dtype].size || (an < bn ? -1 : an > bn ? 1 : 0));
  const header: Record<string, unknown> = {};
  if (metadata !== null) header.__metadata__ = { ...metadata };
  let offset = 0;
  for (const [name, t] of entries) {
    const bytes = t.data.byteLength;
    header[name] = { dtype: t.dtype, shape: [...t.shape], data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + padded + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, padded, true);
  view.setUint32(4, 0, true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + padded);
  let at = 8 + padded;
  for (const [, t] of entries) {
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
    at += t.data.byteLength;
  }
  return out;
}
