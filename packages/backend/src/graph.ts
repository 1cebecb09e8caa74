import { hostArrayFrom, type DType, type HostArray } from "./dtype.js";
import { GraphError, ShapeError } from "./errors.js";
import { opDefs } from "./ops/registry.js";
import type { Node, OpDef, OpParams, OpType, Tensor } from "./ops/types.js";
import { formatShape, staticSize, type Dim, type Shape } from "./shape.js";

/** A constant or frozen weight stored in the graph. */
export interface Initializer {
  /** The tensor it defines. */
  readonly tensor: Tensor;
  /** Its values, row-major, in a typed array of the tensor's dtype. */
  readonly data: HostArray;
  /** Frozen weights may go to the external data file; small constants stay inline. */
  readonly kind: "weight" | "constant";
}

type Mutable<T> = { -readonly [P in keyof T]: T[P] };

let nextGraphId = 0;

function defOf<K extends OpType>(op: K): OpDef<K> {
  return opDefs[op];
}

/**
 * A typed computation graph under construction. It is append-only, so creation order is a topological order,
 * and it is passed explicitly to every builder (there is no ambient graph).
 */
export class Graph {
  /** Unique per process; every tensor records it, so that nodes reject inputs from another graph. */
  readonly id = nextGraphId++;
  /** Primitive nodes in creation (topological) order. */
  readonly nodes: Node[] = [];
  /** Values fed at run time, in the order they were declared. */
  readonly inputs: Tensor[] = [];
  /** Weights and constants stored in the graph, in creation order. */
  readonly initializers: Initializer[] = [];
  #tensorCount = 0;
  #scope: string[] = [];
  readonly #names = new Set<string>();

  /** A value fed at run time; dims may be named (`"batch"`). */
  input(name: string, dtype: DType, shape: Shape): Tensor {
    const t = this.#tensor(this.#claim(name), dtype, shape, undefined, undefined);
    this.inputs.push(t);
    return t;
  }

  /** A frozen weight baked into the model (external data when large). */
  weight(name: string, dtype: DType, shape: readonly number[], data: HostArray): Tensor {
    const size = staticSize(shape) ?? 0;
    if (data.length !== size) {
      throw new GraphError(`weight '${name}': ${data.length} values given for shape ${formatShape(shape)} (${size} expected)`);
    }
    const t = this.#tensor(this.#claim(this.#scoped(name)), dtype, shape, undefined, undefined);
    this.initializers.push({ tensor: t, data, kind: "weight" });
    return t;
  }

  /** A small constant; a scalar when `values` is a number. Int constants remember their values for shape inference. */
  constant(values: number | readonly number[], dtype: DType = "float32", shape?: readonly number[]): Tensor {
    const list = typeof values === "number" ? [values] : values;
    const dims = shape ?? (typeof values === "number" ? [] : [list.length]);
    if ((staticSize(dims) ?? 0) !== list.length) {
      throw new GraphError(`constant: ${list.length} values for shape ${formatShape(dims)}`);
    }
    const known = (dtype === "int64" || dtype === "int32") && dims.length <= 1 ? list : undefined;
    const t = this.#tensor(this.#claim(this.#scoped("const")), dtype, dims, known, undefined);
    this.initializers.push({ tensor: t, data: hostArrayFrom(dtype, list), kind: "constant" });
    return t;
  }

  /** Runs `build` with `name` pushed on the naming scope (`layer0/attn/...`). */
  scope<T>(name: string, build: () => T): T {
    this.#scope.push(name);
    try {
      return build();
    } finally {
      this.#scope.pop();
    }
  }

  /** Adds one primitive node after checking its inputs and inferring its output. */
  apply<K extends OpType>(op: K, inputs: readonly Tensor[], params: OpParams[K]): Tensor {
    const def = defOf(op);
    const name = this.#claim(this.#scoped(op));
    const where = () => `${op} node '${name}' (inputs ${inputs.map((t) => `${t.name} ${formatShape(t.shape)}`).join(", ")})`;
    if (inputs.length < def.arity[0] || inputs.length > def.arity[1]) {
      throw new ShapeError(`${where()}: takes ${def.arity.join("..")} inputs, got ${inputs.length}`);
    }
    for (const t of inputs) {
      if (t.graph !== this.id) throw new GraphError(`${where()}: input '${t.name}' belongs to another graph`);
    }
    const inferred = def.infer(inputs, params, where);
    const output = this.#tensor(`${name}:0`, inferred.dtype, inferred.shape, inferred.value, undefined);
    const node: Node<K> = { id: this.nodes.length, op, name, inputs: [...inputs], params, output };
    output.producer = node;
    this.nodes.push(node);
    return output;
  }

  #tensor(name: string, dtype: DType, shape: Shape, value: readonly Dim[] | undefined, producer: Node | undefined): Mutable<Tensor> {
    for (const d of shape) {
      if (typeof d === "number" && (!Number.isInteger(d) || d < 0)) {
        throw new ShapeError(`tensor '${name}': dim ${d} in ${formatShape(shape)} is not a non-negative integer`);
      }
    }
    return { graph: this.id, id: this.#tensorCount++, name, dtype, shape: [...shape], value, producer };
  }

  #scoped(name: string): string {
    return [...this.#scope, name].join("/");
  }

  /** Reserves a unique name, suffixing `_1`, `_2`… on repeats. */
  #claim(name: string): string {
    let unique = name;
    for (let i = 1; this.#names.has(unique); i++) unique = `${name}_${i}`;
    this.#names.add(unique);
    return unique;
  }
}
