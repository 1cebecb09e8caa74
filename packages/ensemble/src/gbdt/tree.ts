import { GbdtFormatError } from "./errors.js";

/** A regression tree stored as flat arrays; node 0 is the root and a leaf has `feature = -1`. */
export interface RegressionTree {
  /** Split feature per node, −1 at leaves. */
  readonly feature: Int32Array;
  /** Rows with `x[feature] ≤ threshold` go to `left`. */
  readonly threshold: Float64Array;
  /** Left child per node (−1 at leaves). */
  readonly left: Int32Array;
  /** Right child per node (−1 at leaves). */
  readonly right: Int32Array;
  /** Leaf value (already scaled by the learning rate); 0 at inner nodes. */
  readonly value: Float64Array;
  /** Loss reduction of each split, 0 at leaves: the source of gain importances. */
  readonly gain: Float64Array;
}

/** JSON form of one regression tree: flat per-node arrays of equal length, node 0 the root. */
export interface RegressionTreeJson {
  /** Split feature column per node, −1 at leaves. */
  feature: number[];
  /** Split threshold per node: rows with `x[feature] ≤ threshold` go left. */
  threshold: number[];
  /** Left child index per node, −1 at leaves. */
  left: number[];
  /** Right child index per node, −1 at leaves. */
  right: number[];
  /** Leaf value (already scaled by the learning rate); 0 at inner nodes. */
  value: number[];
  /** Loss reduction of each split, 0 at leaves. */
  gain: number[];
}

/** Value of the leaf reached by row `row` of a row-major matrix with `cols` columns. */
export function predictTree(tree: RegressionTree, data: Float64Array, row: number, cols: number): number {
  let node = 0;
  const base = row * cols;
  while (tree.feature[node] >= 0) {
    node = data[base + tree.feature[node]] <= tree.threshold[node] ? tree.left[node] : tree.right[node];
  }
  return tree.value[node];
}

export function treeToJson(tree: RegressionTree): RegressionTreeJson {
  return {
    feature: Array.from(tree.feature),
    threshold: Array.from(tree.threshold),
    left: Array.from(tree.left),
    right: Array.from(tree.right),
    value: Array.from(tree.value),
    gain: Array.from(tree.gain),
  };
}

/** Parses and checks a tree: equal array lengths, children in range and after their parent, features in range. */
export function treeFromJson(json: RegressionTreeJson, nFeatures: number, where: string): RegressionTree {
  const keys = ["feature", "threshold", "left", "right", "value", "gain"] as const;
  for (const k of keys) {
    if (!Array.isArray(json?.[k])) throw new GbdtFormatError(`${where}: field \`${k}\` must be an array of numbers`);
  }
  const n = json.feature.length;
  if (n === 0) throw new GbdtFormatError(`${where}: a tree needs at least one node`);
  for (const k of keys) {
    if (json[k].length !== n) throw new GbdtFormatError(`${where}: \`${k}\` has ${json[k].length} entries, expected ${n}`);
  }
  const tree: RegressionTree = {
    feature: Int32Array.from(json.feature),
    threshold: Float64Array.from(json.threshold),
    left: Int32Array.from(json.left),
    right: Int32Array.from(json.right),
    value: Float64Array.from(json.value),
    gain: Float64Array.from(json.gain),
  };
  for (let i = 0; i < n; i++) {
    const f = tree.feature[i];
    if (f === -1) continue;
    const childOk = (c: number) => Number.isInteger(c) && c > i && c < n;
    if (!(f >= 0 && f < nFeatures) || !childOk(tree.left[i]) || !childOk(tree.right[i])) {
      throw new GbdtFormatError(
        `${where}: node ${i} has feature ${f}, children ${tree.left[i]}/${tree.right[i]}; expected a feature in [0, ${nFeatures}) and children in (${i}, ${n})`,
      );
    }
  }
  return tree;
}
