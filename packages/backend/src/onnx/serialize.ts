import onnxProto from "onnx-proto";
import { hostArrayFrom, onnxDataType, type DType, type HostArray } from "../dtype.js";
import { GraphError } from "../errors.js";
import type { Graph } from "../graph.js";
import { nodesFor } from "../interpreter.js";
import type { AttrValue, LowerContext, Node, OpDef, OpType, Tensor } from "../ops/types.js";
import { opDefs } from "../ops/registry.js";
import type { Shape } from "../shape.js";

const { onnx } = onnxProto;

/** ONNX versions written: IR 8 is what onnx-proto 8 encodes; opset 17 is the newest that IR 8 covers. */
export const ONNX_IR_VERSION = 8;
/** Opset of the default ONNX domain that serialized models import. */
export const ONNX_OPSET = 17;

/** Options of {@link serializeGraph}. */
export interface SerializeOptions {
  /** Graph outputs by name. */
  outputs: Readonly<Record<string, Tensor>>;
  /** File name (relative to the model) that large weights are written to; omit to inline every weight. Defaults to `undefined`. */
  externalDataLocation?: string;
  /** Weights of at least this many bytes go to the external file. Defaults to `1024`. */
  externalThresholdBytes?: number;
}

/** An encoded model plus what travels beside it. */
export interface SerializedModel {
  /** The ModelProto bytes. */
  readonly model: Uint8Array;
  /**
   * The external data file, when weights were moved out: views of the weights (and alignment padding) in file
   * order, never concatenated, so files past 2 GiB need no single buffer that large.
   */
  readonly externalData?: { readonly location: string; readonly parts: readonly Uint8Array[]; readonly byteLength: number } | undefined;
  /** ONNX node name → the graph node it came from, for mapping ORT's messages back. */
  readonly nodeNames: ReadonlyMap<string, string>;
  /** Graph inputs the model reads, in order. */
  readonly inputNames: readonly string[];
}

function defOf<K extends OpType>(op: K): OpDef<K> {
  return opDefs[op];
}

function bytesOf(data: HostArray): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

function valueInfo(name: string, dtype: DType, shape: Shape | undefined) {
  const dim = shape?.map((d) => (typeof d === "number" ? { dimValue: d } : /^[A-Za-z_]\w*$/.test(d) ? { dimParam: d } : {}));
  return { name, type: { tensorType: { elemType: onnxDataType[dtype], ...(dim ? { shape: { dim } } : {}) } } };
}

function attribute(name: string, v: AttrValue) {
  const T = onnx.AttributeProto.AttributeType;
  if ("int" in v) return { name, type: T.INT, i: v.int };
  if ("float" in v) return { name, type: T.FLOAT, f: v.float };
  if ("ints" in v) return { name, type: T.INTS, ints: [...v.ints] };
  if ("string" in v) return { name, type: T.STRING, s: new TextEncoder().encode(v.string) };
  const { dtype, values, dims } = v.tensor;
  return { name, type: T.TENSOR, t: { dataType: onnxDataType[dtype], dims: [...dims], rawData: bytesOf(hostArrayFrom(dtype, values)) } };
}

/** Lowers the part of `graph` that computes `outputs` to an ONNX ModelProto (opset 17). */
export function serializeGraph(graph: Graph, options: SerializeOptions): SerializedModel {
  const outputs = Object.entries(options.outputs);
  for (const [name, t] of outputs) {
    if (t.graph !== graph.id) throw new GraphError(`serialize: output '${name}' belongs to another graph`);
  }
  const taken = new Set([...graph.inputs, ...graph.initializers.map((i) => i.tensor)].map((t) => t.name));
  for (const [name, t] of outputs) {
    if (taken.has(name) && name !== t.name) throw new GraphError(`serialize: output name '${name}' is already an input or weight name; ONNX names must be unique`);
  }
  const nodes = nodesFor(outputs.map(([, t]) => t));
  const used = new Set<string>([...nodes.flatMap((n) => n.inputs.map((t) => t.name)), ...outputs.map(([, t]) => t.name)]);
  const onnxNodes: object[] = [];
  const initializers: object[] = [];
  const nodeNames = new Map<string, string>();
  let constants = 0;
  let current: Node | undefined;

  const ctx: LowerContext = {
    emit(op, inputs, outs, attrs = {}, suffix) {
      const owner = current?.name ?? "output";
      const name = suffix ? `${owner}/${suffix}` : owner;
      nodeNames.set(name, owner);
      onnxNodes.push({ opType: op, name, input: [...inputs], output: [...outs], attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)) });
    },
    constant(values, dtype = "int64", dims) {
      const name = `__const${constants++}`;
      initializers.push({ name, dataType: onnxDataType[dtype], dims: [...(dims ?? [values.length])], rawData: bytesOf(hostArrayFrom(dtype, values)) });
      return name;
    },
    fresh: (suffix) => `${current?.name ?? "output"}/${suffix}:0`,
  };
  for (const node of nodes) {
    current = node;
    defOf(node.op).lower(node, ctx);
  }
  current = undefined;

  const external: Uint8Array[] = [];
  let offset = 0;
  const threshold = options.externalThresholdBytes ?? 1024;
  for (const init of graph.initializers) {
    if (!used.has(init.tensor.name)) continue;
    const raw = bytesOf(init.data);
    const base = { name: init.tensor.name, dataType: onnxDataType[init.tensor.dtype], dims: init.tensor.shape.map(Number) };
    if (options.externalDataLocation && init.kind === "weight" && raw.byteLength >= threshold) {
      const pad = (64 - (offset % 64)) % 64; // aligned so ORT can map the file
      if (pad) external.push(new Uint8Array(pad));
      offset += pad;
      external.push(raw);
      const entries = { location: options.externalDataLocation, offset: String(offset), length: String(raw.byteLength) };
      initializers.push({ ...base, dataLocation: onnx.TensorProto.DataLocation.EXTERNAL, externalData: Object.entries(entries).map(([key, value]) => ({ key, value })) });
      offset += raw.byteLength;
    } else initializers.push({ ...base, rawData: raw });
  }

  const inputs = graph.inputs.filter((t) => used.has(t.name));
  for (const [name, t] of outputs) {
    if (name !== t.name) ctx.emit("Identity", [t.name], [name], {}, `${name}/Identity`);
  }
  const model = onnx.ModelProto.create({
    irVersion: ONNX_IR_VERSION,
    producerName: "@lora-litee/backend",
    opsetImport: [{ domain: "", version: ONNX_OPSET }],
    graph: {
      name: "lora_litee",
      node: onnxNodes,
      initializer: initializers,
      input: inputs.map((t) => valueInfo(t.name, t.dtype, t.shape)),
      output: outputs.map(([name, t]) => valueInfo(name, t.dtype, t.shape)),
    },
  });
  const bytes = onnx.ModelProto.encode(model).finish();
  const externalData = options.externalDataLocation && external.length > 0 ? { location: options.externalDataLocation, parts: external, byteLength: offset } : undefined;
  return { model: bytes, externalData, nodeNames, inputNames: inputs.map((t) => t.name) };
}
