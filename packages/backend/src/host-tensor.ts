import type { HostArray } from "./dtype.js";

/** A concrete tensor on the host: row-major data plus its shape. */
export interface HostTensor {
  readonly data: HostArray;
  readonly shape: readonly number[];
}

/** Feeds of one run, by graph input name. */
export type Feeds = Readonly<Record<string, HostTensor>>;
