import { confusionSpec, logLossBarSpec, lossCurveSpec, reliabilitySpec, renderSvg } from "./charts.js";
import type { MemberScores, ReportData, ReportMember } from "./report-data.js";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

const fmt = (x: number | undefined, digits = 4) => (x === undefined || !Number.isFinite(x) ? "–" : x.toFixed(digits));

function scoreCells(s: MemberScores | undefined): string {
  if (!s) return "<td>–</td><td>–</td><td>–</td><td>–</td>";
  return [s.logLoss, s.accuracy, s.accuracyNoTies, s.ece].map((v, i) => `<td>${fmt(v, i === 0 ? 4 : 3)}</td>`).join("");
}

function membersTable(members: readonly ReportMember[]): string {
  const best = Math.min(...members.map((m) => m.holdout.logLoss));
  const rows = members
    .map((m) => {
      const cls = m.holdout.logLoss === best ? ' class="best"' : "";
      const caveat = m.caveat ? `<div class="caveat">${escapeHtml(m.caveat)}</div>` : "";
      return `<tr${cls}><th scope="row">${escapeHtml(m.name)}${caveat}</th><td>${m.kind}</td>${scoreCells(m.oof)}${scoreCells(m.holdout)}<td>${fmt(m.seconds, 1)}</td></tr>`;
    })
    .join("\n");
  return `<table>
<thead><tr><th rowspan="2">member</th><th rowspan="2">kind</th><th colspan="4">out-of-fold (train split)</th><th colspan="4">held-out split</th><th rowspan="2">seconds</th></tr>
<tr><th>log loss</th><th>acc</th><th>acc (no ties)</th><th>ECE</th><th>log loss</th><th>acc</th><th>acc (no ties)</th><th>ECE</th></tr></thead>
<tbody>
${rows}
</tbody></table>`;
}

function keyValueTable(entries: Record<string, string | number>, valueDigits = 2): string {
  const rows = Object.entries(entries)
    .map(([k, v]) => `<tr><th scope="row">${escapeHtml(k)}</th><td>${typeof v === "number" ? fmt(v, valueDigits) : escapeHtml(v)}</td></tr>`)
    .join("\n");
  return `<table class="kv"><tbody>\n${rows}\n</tbody></table>`;
}

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;color:#222}
table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #ddd;padding:.3rem .6rem;text-align:right}
th[scope=row]{text-align:left}tr.best{background:#eef7ee}.caveat{font-weight:normal;font-size:12px;color:#a33;max-width:22rem}
.charts{display:flex;flex-wrap:wrap;gap:1.5rem;align-items:flex-start}figure{margin:0}.note{color:#555}
table.kv td{text-align:left}`;

/** A self-contained HTML page (inline CSS and SVG charts, no scripts, no network) for a demo or evaluation run. */
export async function renderReport(data: ReportData): Promise<string> {
  const [bars, reliability, loss, ...confusions] = await Promise.all([
    renderSvg(logLossBarSpec(data.members)),
    renderSvg(reliabilitySpec(data.members)),
    data.lossCurve.length ? renderSvg(lossCurveSpec(data.lossCurve)) : Promise.resolve(""),
    ...data.members.map((m) => renderSvg(confusionSpec(m))),
  ]);
  const weights = data.ensemble.weights
    ? keyValueTable(data.ensemble.weights, 3)
    : "<p class=\"note\">no weights: the strategy has none</p>";
  const notes = data.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join("\n");
  const labels = data.dataset.labels;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(data.title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${STYLE}</style></head>
<body>
<h1>${escapeHtml(data.title)}</h1>
<p class="note">${escapeHtml(data.createdAt)} · ${escapeHtml(data.dataset.source)}: ${data.dataset.rows} rows (A ${labels.a} / B ${labels.b} / tie ${labels.tie}); ${data.dataset.trainRows} for training with cross-validation, ${data.dataset.holdoutRows} held out.</p>
<h2>What this run shows</h2>
<ul>${notes}</ul>
<h2>Members and ensemble</h2>
${membersTable(data.members)}
<div class="charts"><figure>${bars}</figure><figure>${reliability}</figure></div>
<h2>Ensemble (${escapeHtml(data.ensemble.strategy)})</h2>
${weights}
<h2>LoRA training</h2>
${loss ? `<figure>${loss}</figure>` : '<p class="note">no LoRA member in this run</p>'}
<h2>Confusion matrices (held-out; rows = truth)</h2>
<div class="charts">${confusions.map((svg) => `<figure>${svg}</figure>`).join("\n")}</div>
<h2>Data problems found and repaired</h2>
${keyValueTable(data.dataset.problems, 0)}
<h2>Timings (seconds)</h2>
${keyValueTable(data.timings, 1)}
<h2>Environment</h2>
${keyValueTable(data.environment)}
</body></html>
`;
}
