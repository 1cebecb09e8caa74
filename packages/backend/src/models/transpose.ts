/** `[rows, cols]` → `[cols, rows]`: HF's `[out, in]` Linear weights become the graph's `[in, out]` once, on the host. */
export function transpose2d(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c];
  return out;
}
