import type * as vl from "vega-lite";
import type { LossPoint, ReportMember } from "./report-data.js";

/** A Vega-Lite spec; kept as plain JSON so charts can be snapshot-tested and reused elsewhere. */
export type ChartSpec = vl.TopLevelSpec;

const LABELS = ["A", "B", "tie"] as const;

/** Training loss against optimizer step, one line per series. */
export function lossCurveSpec(points: readonly LossPoint[]): ChartSpec {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: "LoRA training loss",
    width: 420,
    height: 220,
    data: { values: points.map((p) => ({ ...p })) },
    mark: { type: "line", point: points.length < 60 },
    encoding: {
      x: { field: "step", type: "quantitative", title: "optimizer step" },
      y: { field: "loss", type: "quantitative", title: "cross-entropy", scale: { zero: false } },
      color: { field: "series", type: "nominal", title: null },
    },
  };
}

/** Predicted confidence against observed accuracy per member, with the diagonal of perfect calibration. */
export function reliabilitySpec(members: readonly ReportMember[]): ChartSpec {
  const values = members.flatMap((m) => m.reliability.filter((b) => b.count > 0).map((b) => ({ member: m.name, ...b })));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: "Reliability (held-out split)",
    width: 320,
    height: 320,
    layer: [
      {
        data: { values: [{ x: 0, y: 0 }, { x: 1, y: 1 }] },
        mark: { type: "line", strokeDash: [4, 4], color: "#999" },
        encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } },
      },
      {
        data: { values },
        mark: { type: "line", point: true },
        encoding: {
          x: { field: "confidence", type: "quantitative", title: "predicted confidence", scale: { domain: [0, 1] } },
          y: { field: "accuracy", type: "quantitative", title: "observed accuracy", scale: { domain: [0, 1] } },
          color: { field: "member", type: "nominal" },
          tooltip: [{ field: "member" }, { field: "count", type: "quantitative" }],
        },
      },
    ],
  };
}

/** One member's held-out confusion matrix as a heat map with counts (rows = truth). */
export function confusionSpec(member: ReportMember): ChartSpec {
  const values = member.confusion.flatMap((row, t) => row.map((count, p) => ({ truth: LABELS[t], predicted: LABELS[p], count })));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: member.name,
    width: 150,
    height: 150,
    data: { values },
    encoding: {
      x: { field: "predicted", type: "nominal", sort: [...LABELS] },
      y: { field: "truth", type: "nominal", sort: [...LABELS] },
    },
    layer: [
      { mark: "rect", encoding: { color: { field: "count", type: "quantitative", legend: null, scale: { scheme: "blues" } } } },
      { mark: { type: "text", fontSize: 12 }, encoding: { text: { field: "count", type: "quantitative" } } },
    ],
  };
}

/** Held-out log loss per member as a dot plot, sorted. */
export function logLossBarSpec(members: readonly ReportMember[]): ChartSpec {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: "Held-out log loss (lower is better)",
    width: 420,
    height: { step: 22 },
    data: { values: members.map((m) => ({ member: m.name, kind: m.kind, logLoss: m.holdout.logLoss })) },
    // a dot plot, not bars: log losses sit in a narrow band far from zero, which bars (anchored at 0) hide
    mark: { type: "point", filled: true, size: 90 },
    encoding: {
      y: { field: "member", type: "nominal", sort: "x", title: null },
      x: { field: "logLoss", type: "quantitative", scale: { zero: false }, title: "log loss" },
      color: { field: "kind", type: "nominal" },
    },
  };
}

/**
 * Renders a spec to a static SVG string in Node, with no browser or canvas. Vega is ESM-only with top-level
 * await, so it is imported on first use: the CommonJS build of this package can then still be required.
 */
export async function renderSvg(spec: ChartSpec): Promise<string> {
  const [vega, vl] = await Promise.all([import("vega"), import("vega-lite")]);
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
