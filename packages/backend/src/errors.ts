/** Shapes or dtypes that an op cannot accept; names the op, the node, the inputs and their shapes. */
export class ShapeError extends Error {
  override readonly name = "ShapeError";
}

/** A gradient that cannot be formed: a missing rule, a non-scalar loss, a target off the graph. */
export class GradientError extends Error {
  override readonly name = "GradientError";
}

/** A graph that is malformed as a whole: duplicate names, tensors from another graph, unknown outputs. */
export class GraphError extends Error {
  override readonly name = "GraphError";
}

/** A feed that does not match the graph input it is for (missing, wrong dtype, wrong shape). */
export class FeedError extends Error {
  override readonly name = "FeedError";
}

/** onnxruntime failed to create a session or to run it; `node` is the graph node ORT named, when it named one. */
export class ExecutionError extends Error {
  override readonly name = "ExecutionError";
  constructor(
    message: string,
    /** The graph node (our name) that ORT reported, if any. */
    readonly node: string | undefined,
    /** The execution provider the session was created for. */
    readonly device: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
