import { DATASET_FORMATS, problemsFound, type DatasetFormat, type DatasetReport, type LengthStats } from "@lora-litee/data";
import { inspectDataset } from "@lora-litee/data/node";
import { Option, type Command } from "commander";

interface InspectFlags {
  format?: DatasetFormat;
  json: boolean;
  tokenizer?: string;
  onError: "fail" | "skip";
}

/** `litee data …`: dataset inspection. */
export function registerDataCommands(program: Command): void {
  const data = program.command("data").description("inspect preference datasets");
  data
    .command("inspect <file>")
    .description("rows, labels, turn statistics, lengths and the problems report of a dataset")
    .addOption(new Option("--format <format>", "input layout (default: from the file name and first record)").choices(DATASET_FORMATS))
    .option("--json", "print exactly one JSON object on stdout", false)
    .option("--tokenizer <dir>", "local tokenizer folder (tokenizer.json + tokenizer_config.json) for token-length percentiles")
    .addOption(new Option("--on-error <mode>", "malformed records: fail, or skip and list them").choices(["fail", "skip"]).default("fail"))
    .action(async (file: string, flags: InspectFlags) => {
      const report = await inspectDataset(file, { format: flags.format, tokenizer: flags.tokenizer, onError: flags.onError });
      process.stdout.write(flags.json ? `${JSON.stringify(report)}\n` : summary(report));
    });
}

/** The human-readable report. */
function summary(report: DatasetReport): string {
  const { labels, problems } = report;
  const lines = [
    `${report.file} (${report.format})`,
    `rows      ${report.rows}`,
    `labels    A ${labels.a} · B ${labels.b} · tie ${labels.tie}${labels.unlabelled > 0 ? ` · unlabelled ${labels.unlabelled}` : ""}`,
    "",
    "turns          mean    max  multi-turn rows",
    ...PARTS.map(([key, name]) => {
      const t = report.turns[key];
      return `  ${name.padEnd(12)}${t.mean.toFixed(2).padStart(5)}${String(t.max).padStart(7)}  ${t.multiTurnRows}`;
    }),
    "",
    ...lengthTable("characters", report.chars),
  ];
  if (report.tokens) lines.push("", ...lengthTable(`tokens (${report.tokens.tokenizer})`, report.tokens));
  lines.push("", "problems");
  const found = problemsFound(problems);
  if (problems.bom) lines.push("  bom: byte-order mark removed");
  if (problems.invalidUtf8 > 0) lines.push(`  invalidUtf8: ${problems.invalidUtf8} invalid byte sequences decoded as U+FFFD`);
  if (problems.crlfLines > 0) lines.push(`  crlfLines: ${problems.crlfLines} CRLF line ends normalised`);
  if (problems.indexColumn) lines.push("  indexColumn: unnamed leading index column ignored");
  for (const name of found) {
    const p = problems[name];
    const occurrences = p.occurrences !== p.count ? ` (${p.occurrences} occurrences)` : "";
    const ids = p.rows.slice(0, 5).map((row) => row.id || `line ${row.line}`);
    lines.push(`  ${name}: ${p.count} rows${occurrences}, e.g. ${ids.join(", ")}${p.count > 5 ? ", …" : ""}`);
  }
  for (const row of problems.skipped) {
    lines.push(`  skipped line ${row.line}${row.id ? ` (id ${row.id})` : ""}: ${row.field}: expected ${row.expected}, found ${row.found}`);
  }
  const clean = !problems.bom && problems.invalidUtf8 === 0 && problems.crlfLines === 0 && !problems.indexColumn;
  if (found.length === 0 && problems.skipped.length === 0 && clean) {
    lines.push("  none");
  }
  return `${lines.join("\n")}\n`;
}

const PARTS = [
  ["prompt", "prompt"],
  ["responseA", "response A"],
  ["responseB", "response B"],
] as const;

function lengthTable(title: string, stats: Record<(typeof PARTS)[number][0], LengthStats>): string[] {
  const cell = (value: number) => String(Math.round(value)).padStart(8);
  return [
    `${title.padEnd(14)}${["mean", "p50", "p90", "p95", "p99", "max"].map((h) => h.padStart(8)).join("")}`,
    ...PARTS.map(([key, name]) => {
      const s = stats[key];
      return `  ${name.padEnd(12)}${[s.mean, s.p50, s.p90, s.p95, s.p99, s.max].map(cell).join("")}`;
    }),
  ];
}
