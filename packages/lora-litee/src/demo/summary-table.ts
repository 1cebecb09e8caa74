import type { ReportData } from "@lora-litee/bench";

/** The short table `litee demo` prints: one line per member, held-out scores. */
export function formatDemoTable(report: ReportData): string {
  const header = ["member", "log loss", "accuracy", "ECE", "seconds"];
  const rows = report.members.map((m) => [m.name, m.holdout.logLoss.toFixed(4), m.holdout.accuracy.toFixed(3), m.holdout.ece.toFixed(3), m.seconds.toFixed(1)]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  ");
  return `Held-out split (${report.dataset.holdoutRows} of ${report.dataset.rows} rows):\n${[line(header), ...rows.map(line)].join("\n")}\n`;
}
