import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import type { HostArray } from "./dtype.js";
import { ExecutionError, GraphError } from "./errors.js";
import type { Graph } from "./graph.js";
import type { Feeds, HostTensor } from "./host-tensor.js";
import { checkFeeds } from "./interpreter.js";
import type { Tensor } from "./ops/types.js";
import { serializeGraph, type SerializedModel } from "./onnx/serialize.js";

/** Where a graph runs: ORT's MLAS CPU provider, its WebGPU provider (Dawn), or CUDA where the binary has it. */
export type Device = "cpu" | "webgpu" | "cuda";

/** Options of {@link Executor}. */
export interface ExecutorOptions {
  /** Execution provider to run on (CPU nodes fall back to the CPU provider). Defaults to `"cpu"`. */
  device?: Device;
  /** Threads for one op; 0 lets ORT pick. Defaults to `0`. */
  intraOpNumThreads?: number;
  /** ORT graph optimization level. Defaults to `"all"`. */
  graphOptimizationLevel?: "disabled" | "basic" | "extended" | "all";
  /** Weights of at least this many bytes are written to an external data file beside the model. Defaults to `1048576`. */
  externalThresholdBytes?: number;
  /** Record per-node timings and providers (see {@link CompiledGraph.placements}). Defaults to `false`. */
  profile?: boolean;
  /** Let idle ORT worker threads spin: faster on a dedicated machine, wasteful on a shared one. Defaults to `true`. */
  spinning?: boolean;
}

function writeParts(path: string, parts: readonly Uint8Array[]): void {
  const fd = openSync(path, "w");
  try {
    for (const part of parts) {
      // write(2) moves at most ~2 GiB per call; loop over short writes.
      for (let at = 0; at < part.byteLength; ) at += writeSync(fd, part, at, part.byteLength - at);
    }
  } finally {
    closeSync(fd);
  }
}

/** What a session keeps of its serialized model (the bytes are dropped once ORT has them). */
type ModelNames = Pick<SerializedModel, "nodeNames" | "inputNames">;

/** How ORT names a node in run-time ("…node. Name:'x' Status Message…") and load-time ("…node with name 'x'", "(node:'x' …") errors. */
const ORT_NODE_NAME = /(?:Name:|node with name |node:)'([^']*)'/;

/** Our node for an ORT node name; fused nodes are named `<first fused node>/<fusion>/`, so strip segments until one matches. */
function ownerOf(nodeNames: ReadonlyMap<string, string>, onnxName: string): string {
  for (let name = onnxName; name.length > 0; name = name.slice(0, Math.max(0, name.lastIndexOf("/")))) {
    const owner = nodeNames.get(name);
    if (owner !== undefined) return owner;
  }
  return onnxName;
}

/** Wraps ORT's failure in a typed error naming our graph node. */
function executionError(err: unknown, model: ModelNames, device: Device, during: string): ExecutionError {
  const text = err instanceof Error ? err.message : String(err);
  const onnxName = ORT_NODE_NAME.exec(text)?.[1];
  const node = onnxName === undefined ? undefined : ownerOf(model.nodeNames, onnxName);
  const where = node === undefined ? "" : ` at node '${node}'`;
  return new ExecutionError(`${during} on ${device}${where}: ${text}`, node, device, { cause: err });
}

/** One graph (with chosen outputs) loaded into an ORT session. */
export class CompiledGraph {
  readonly #session: ort.InferenceSession;
  readonly #graph: Graph;
  readonly #model: ModelNames;
  readonly #device: Device;
  readonly #dir: string | undefined;
  #released = false;

  /** @internal Created by {@link Executor.compile}. */
  constructor(session: ort.InferenceSession, graph: Graph, model: ModelNames, device: Device, dir: string | undefined) {
    this.#session = session;
    this.#graph = graph;
    this.#model = model;
    this.#device = device;
    this.#dir = dir;
  }

  /** Graph inputs this model reads. */
  get inputNames(): readonly string[] {
    return this.#model.inputNames;
  }

  /** Runs one step: checks feeds against the graph inputs, returns every output by name. */
  async run(feeds: Feeds): Promise<Record<string, HostTensor>> {
    checkFeeds(this.#graph, feeds, new Set(this.#model.inputNames));
    const ortFeeds: Record<string, ort.Tensor> = {};
    for (const name of this.#model.inputNames) {
      const input = this.#graph.inputs.find((t) => t.name === name);
      const feed = feeds[name];
      if (!input || !feed) throw new GraphError(`run: input '${name}' has no feed`);
      ortFeeds[name] = new ort.Tensor(input.dtype, feed.data, feed.shape);
    }
    let results: ort.InferenceSession.ReturnType;
    try {
      results = await this.#session.run(ortFeeds);
    } catch (err) {
      throw executionError(err, this.#model, this.#device, "run");
    }
    const out: Record<string, HostTensor> = {};
    for (const [name, t] of Object.entries(results)) {
      out[name] = { data: t.data as HostArray, shape: [...t.dims] };
      t.dispose?.();
    }
    return out;
  }

  /**
   * Which execution provider ran each graph node in the runs so far, read from ORT's profile (needs
   * `profile: true`); ends profiling for this session. Nodes ORT fused are reported under the first node of the fusion;
   * nodes it folded into constants do not appear.
   */
  placements(): Map<string, string> {
    if (!this.#dir) throw new GraphError("placements: compile with `profile: true` to record providers");
    this.#session.endProfiling();
    const file = readdirSync(this.#dir).find((f) => f.startsWith("profile") && f.endsWith(".json"));
    if (!file) throw new GraphError(`placements: ORT wrote no profile in ${this.#dir}`);
    const events = JSON.parse(readFileSync(join(this.#dir, file), "utf8")) as { cat?: string; name?: string; args?: { provider?: string } }[];
    const map = new Map<string, string>();
    for (const e of events) {
      if (e.cat !== "Node" || !e.args?.provider || !e.name?.endsWith("_kernel_time")) continue;
      map.set(ownerOf(this.#model.nodeNames, e.name.slice(0, -"_kernel_time".length)), e.args.provider);
    }
    return map;
  }

  /** Frees the session (idempotent). */
  async release(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    await this.#session.release();
    if (this.#dir) rmSync(this.#dir, { recursive: true, force: true });
  }
}

/** Creates ORT sessions for graphs on one device and reuses them per (graph, outputs). */
export class Executor {
  /** Execution provider of every session it creates (from {@link ExecutorOptions.device}). */
  readonly device: Device;
  readonly #options: Required<ExecutorOptions>;
  readonly #cache = new Map<string, Promise<CompiledGraph>>();

  constructor(options: ExecutorOptions = {}) {
    const device = options.device ?? "cpu";
    if (!["cpu", "webgpu", "cuda"].includes(device)) throw new GraphError(`Executor: device '${device}' is not one of cpu, webgpu, cuda`);
    this.device = device;
    this.#options = {
      device,
      intraOpNumThreads: options.intraOpNumThreads ?? 0,
      graphOptimizationLevel: options.graphOptimizationLevel ?? "all",
      externalThresholdBytes: options.externalThresholdBytes ?? 1 << 20,
      profile: options.profile ?? false,
      spinning: options.spinning ?? true,
    };
  }

  /** Whether a session can be created and run on `device` here (e.g. a WebGPU adapter exists). */
  static async available(device: Device): Promise<boolean> {
    if (!ort.listSupportedBackends().some((b) => b.name === device)) return false;
    try {
      const { onnx } = (await import("onnx-proto")).default;
      const model = onnx.ModelProto.encode({
        irVersion: 8,
        opsetImport: [{ domain: "", version: 17 }],
        graph: {
          name: "probe",
          node: [{ opType: "Neg", input: ["x"], output: ["y"] }],
          input: [{ name: "x", type: { tensorType: { elemType: 1, shape: { dim: [{ dimValue: 1 }] } } } }],
          output: [{ name: "y", type: { tensorType: { elemType: 1, shape: { dim: [{ dimValue: 1 }] } } } }],
        },
      }).finish();
      const session = await ort.InferenceSession.create(model, { executionProviders: [device] });
      await session.run({ x: new ort.Tensor("float32", new Float32Array([1]), [1]) });
      await session.release();
      return true;
    } catch {
      return false;
    }
  }

  /** A session computing `outputs` of `graph`; the same graph and outputs return the same session. */
  compile(graph: Graph, outputs: Readonly<Record<string, Tensor>>): Promise<CompiledGraph> {
    const key = `${graph.id}|${graph.nodes.length}|${Object.entries(outputs).map(([n, t]) => `${n}=${t.id}`).join(",")}`;
    let compiled = this.#cache.get(key);
    if (!compiled) {
      compiled = this.#create(graph, outputs);
      this.#cache.set(key, compiled);
      compiled.catch(() => this.#cache.delete(key));
    }
    return compiled;
  }

  /** Releases every session this executor created. */
  async release(): Promise<void> {
    const all = [...this.#cache.values()];
    this.#cache.clear();
    for (const c of all) await (await c).release();
  }

  async #create(graph: Graph, outputs: Readonly<Record<string, Tensor>>): Promise<CompiledGraph> {
    const o = this.#options;
    const model = serializeGraph(graph, { outputs, externalDataLocation: "weights.bin", externalThresholdBytes: o.externalThresholdBytes });
    const needsDir = model.externalData !== undefined || o.profile;
    const dir = needsDir ? mkdtempSync(join(tmpdir(), "lora-litee-")) : undefined;
    const options: ort.InferenceSession.SessionOptions = {
      executionProviders: [o.device],
      graphOptimizationLevel: o.graphOptimizationLevel,
      intraOpNumThreads: o.intraOpNumThreads,
      extra: { session: { intra_op: { allow_spinning: o.spinning ? "1" : "0" } } },
      ...(o.profile && dir ? { enableProfiling: true, profileFilePrefix: join(dir, "profile") } : {}),
    };
    try {
      let session: ort.InferenceSession;
      if (dir && model.externalData) {
        writeFileSync(join(dir, "model.onnx"), model.model);
        writeParts(join(dir, model.externalData.location), model.externalData.parts);
        session = await ort.InferenceSession.create(join(dir, "model.onnx"), options);
      } else session = await ort.InferenceSession.create(model.model, options);
      return new CompiledGraph(session, graph, { nodeNames: model.nodeNames, inputNames: model.inputNames }, o.device, dir);
    } catch (err) {
      if (dir) rmSync(dir, { recursive: true, force: true });
      throw executionError(err, model, o.device, "session creation");
    }
  }
}
