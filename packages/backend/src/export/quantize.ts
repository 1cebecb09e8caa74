import onnxProto from "onnx-proto";

const { onnx } = onnxProto;
type NodeProto = onnxProto.onnx.INodeProto;
type TensorProto = onnxProto.onnx.ITensorProto;

/**
 * Dynamic int8 quantization of an exported model, as onnxruntime's `quantize_dynamic` does it: every MatMul whose
 * right operand is a float32 weight `[K, N]` keeps that weight as int8 with one symmetric scale per output column,
 * and quantizes its activations to uint8 at run time (DynamicQuantizeLinear → MatMulInteger → rescale). ORT's CPU
 * provider fuses the chain into one integer kernel. Embeddings, norms and attention stay float32.
 */

/** What `quantizeMatMulWeights` changed. */
export interface QuantizeResult {
  /** The rewritten ModelProto. */
  readonly model: Uint8Array;
  /** MatMul nodes rewritten. */
  readonly quantized: number;
  /** Float32 bytes of the weights that became int8. */
  readonly floatBytes: number;
}

/** Weights with fewer values stay float32: for them the rewrite costs more than it saves. */
const MIN_VALUES = 1024;

/** Rewrites the MatMuls over inline float32 weights of `bytes` (a ModelProto) to dynamic int8. */
export function quantizeMatMulWeights(bytes: Uint8Array): QuantizeResult {
  const model = onnx.ModelProto.decode(bytes);
  const graph = model.graph!;
  const FLOAT = onnx.TensorProto.DataType.FLOAT;
  const initializers = new Map(graph.initializer!.map((t) => [t.name!, t]));
  const nodes: NodeProto[] = [];
  const added: TensorProto[] = [];
  const replaced = new Set<string>();
  let quantized = 0;
  let floatBytes = 0;
  for (const node of graph.node!) {
    const weight = node.opType === "MatMul" ? initializers.get(node.input![1]) : undefined;
    const dims = weight?.dims?.map(Number);
    if (!weight || weight.dataType !== FLOAT || !weight.rawData?.length || dims?.length !== 2 || dims[0] * dims[1] < MIN_VALUES) {
      nodes.push(node);
      continue;
    }
    const [k, n] = dims;
    const raw = weight.rawData;
    const values = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
    const { q, scales } = quantizeColumns(values, k, n);
    const base = weight.name!;
    added.push(
      { name: `${base}/int8`, dataType: onnx.TensorProto.DataType.INT8, dims: [k, n], rawData: new Uint8Array(q.buffer) },
      { name: `${base}/scale`, dataType: FLOAT, dims: [n], rawData: new Uint8Array(scales.buffer) },
    );
    replaced.add(base);
    const [a] = node.input!;
    const [y] = node.output!;
    const p = `${node.name}/int8`;
    nodes.push(
      { opType: "DynamicQuantizeLinear", name: `${p}/quantize`, input: [a], output: [`${p}/a`, `${p}/a_scale`, `${p}/a_zero`] },
      { opType: "MatMulInteger", name: `${p}/matmul`, input: [`${p}/a`, `${base}/int8`, `${p}/a_zero`], output: [`${p}/acc`] },
      { opType: "Cast", name: `${p}/cast`, input: [`${p}/acc`], output: [`${p}/accf`], attribute: [{ name: "to", type: onnx.AttributeProto.AttributeType.INT, i: FLOAT }] },
      { opType: "Mul", name: `${p}/scales`, input: [`${p}/a_scale`, `${base}/scale`], output: [`${p}/s`] },
      { opType: "Mul", name: `${p}/rescale`, input: [`${p}/accf`, `${p}/s`], output: [y] },
    );
    quantized++;
    floatBytes += raw.byteLength;
  }
  // a weight another node still reads as float32 stays as well
  const stillRead = new Set(nodes.flatMap((node) => node.input ?? []));
  graph.initializer = [...graph.initializer!.filter((t) => !replaced.has(t.name!) || stillRead.has(t.name!)), ...added];
  graph.node = nodes;
  return { model: onnx.ModelProto.encode(model).finish(), quantized, floatBytes };
}

/** Symmetric int8 per column of a row-major `[k, n]` matrix: q = round(w / s), s = max|w| / 127 over the column. */
export function quantizeColumns(values: Float32Array, k: number, n: number): { q: Int8Array; scales: Float32Array } {
  const scales = new Float32Array(n);
  for (let r = 0; r < k; r++) {
    for (let c = 0; c < n; c++) scales[c] = Math.max(scales[c], Math.abs(values[r * n + c]));
  }
  for (let c = 0; c < n; c++) scales[c] = scales[c] > 0 ? scales[c] / 127 : 1;
  const q = new Int8Array(k * n);
  for (let r = 0; r < k; r++) {
    for (let c = 0; c < n; c++) q[r * n + c] = Math.round(values[r * n + c] / scales[c]);
  }
  return { q, scales };
}
