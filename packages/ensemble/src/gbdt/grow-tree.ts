import type { BinMapper } from "./binning.js";
import { buildHistogram, HIST_FIELDS, subtractHistogram } from "./histogram.js";
import type { HistogramInput } from "./histogram.js";
import { findBestSplit } from "./split.js";
import type { NodeSums, SplitRules } from "./split.js";
import type { RegressionTree } from "./tree.js";

/** Everything one tree needs beyond the gradients: the shared binned data, rules and scratch space. */
export interface TreeGrowthContext {
  readonly input: HistogramInput;
  readonly mapper: BinMapper;
  readonly binCounts: Int32Array;
  readonly rules: SplitRules;
  readonly maxDepth: number;
  readonly learningRate: number;
  /** Scratch histograms, two per depth level (node and its smaller child). */
  readonly pool: Float64Array[];
  /** Scratch for the stable partition of row indices. */
  readonly scratch: Uint32Array;
}

/** Allocates the histograms for trees of depth up to `maxDepth`: two per level. */
export function histogramPool(maxDepth: number, cols: number, stride: number): Float64Array[] {
  return Array.from({ length: 2 * (maxDepth + 1) }, () => new Float64Array(cols * stride * HIST_FIELDS));
}

interface NodeBuilder {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  value: number[];
  gain: number[];
}

/**
 * Grows one depth-first tree on rows `indices` (reordered in place). The smaller child's histogram is built from
 * its rows and the larger one's is parent − smaller, so each level costs about half a pass over the node's rows.
 */
export function growTree(ctx: TreeGrowthContext, indices: Uint32Array, active: Uint8Array): RegressionTree {
  const nodes: NodeBuilder = { feature: [], threshold: [], left: [], right: [], value: [], gain: [] };
  const rootHist = ctx.pool[0];
  buildHistogram(ctx.input, indices, 0, indices.length, active, rootHist);
  grow(ctx, nodes, indices, 0, indices.length, rootHist, 0, active);
  return {
    feature: Int32Array.from(nodes.feature),
    threshold: Float64Array.from(nodes.threshold),
    left: Int32Array.from(nodes.left),
    right: Int32Array.from(nodes.right),
    value: Float64Array.from(nodes.value),
    gain: Float64Array.from(nodes.gain),
  };
}

function grow(
  ctx: TreeGrowthContext,
  nodes: NodeBuilder,
  indices: Uint32Array,
  start: number,
  end: number,
  hist: Float64Array,
  depth: number,
  active: Uint8Array,
): number {
  const id = nodes.feature.length;
  const sums = nodeSums(ctx.input, indices, start, end);
  nodes.feature.push(-1);
  nodes.threshold.push(0);
  nodes.left.push(-1);
  nodes.right.push(-1);
  nodes.value.push((-sums.grad / (sums.hess + ctx.rules.l2)) * ctx.learningRate);
  nodes.gain.push(0);
  if (depth >= ctx.maxDepth || end - start < 2 * ctx.rules.minSamplesLeaf) return id;
  const split = findBestSplit(hist, ctx.binCounts, ctx.input.stride, active, sums, ctx.rules);
  if (split === null) return id;

  const mid = partition(ctx, indices, start, end, split.feature, split.bin);
  const leftIsSmaller = mid - start <= end - mid;
  const small = ctx.pool[2 * depth + 2];
  const large = ctx.pool[2 * depth + 3];
  if (leftIsSmaller) buildHistogram(ctx.input, indices, start, mid, active, small);
  else buildHistogram(ctx.input, indices, mid, end, active, small);
  subtractHistogram(hist, small, large);

  nodes.feature[id] = split.feature;
  nodes.threshold[id] = ctx.mapper.edges[split.feature][split.bin];
  nodes.value[id] = 0;
  nodes.gain[id] = split.gain;
  // Both children's histograms sit in this depth's pool slots; the left subtree only writes deeper slots, so the
  // right child's histogram is still intact when its turn comes.
  nodes.left[id] = grow(ctx, nodes, indices, start, mid, leftIsSmaller ? small : large, depth + 1, active);
  nodes.right[id] = grow(ctx, nodes, indices, mid, end, leftIsSmaller ? large : small, depth + 1, active);
  return id;
}

/** Gradient and hessian sums in index order, so a node's totals do not depend on histogram rounding. */
function nodeSums(input: HistogramInput, indices: Uint32Array, start: number, end: number): NodeSums {
  let g = 0;
  let h = 0;
  for (let p = start; p < end; p++) {
    g += input.grad[indices[p]];
    h += input.hess[indices[p]];
  }
  return { grad: g, hess: h, count: end - start };
}

/** Stable partition: rows with bin ≤ `bin` first, order kept on both sides. Returns the first right position. */
function partition(ctx: TreeGrowthContext, indices: Uint32Array, start: number, end: number, feature: number, bin: number): number {
  const { bins, rows } = ctx.input;
  const col = feature * rows;
  let w = start;
  let s = 0;
  for (let p = start; p < end; p++) {
    const r = indices[p];
    if (bins[col + r] <= bin) indices[w++] = r;
    else ctx.scratch[s++] = r;
  }
  indices.set(ctx.scratch.subarray(0, s), w);
  return w;
}
