import type { HostArray } from "./dtype.js";

/** A concrete tensor on the host: row-major data plus its shape. */
export interface HostTensor {
  /** Row-major values in a typed array of the tensor's dtype. */
  readonly data: HostArray;
  /** Static dims; `[]` is a scalar. */
  readonly shape: readonly number[];
}

/** Feeds of one run, by graph input name. */
export type Feeds = Readonly<Record<string, HostTensor>>;
