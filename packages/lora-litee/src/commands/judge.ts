import { readFile, writeFile } from "node:fs/promises";
import {
  collectJudgeAnswers,
  createChatClient,
  estimateJudgeCost,
  fitJudgeCalibration,
  JUDGE_TEMPLATE_V1,
  JudgeCalibrationError,
  JudgeOptionsError,
  judgePredictions,
  labelledVerdicts,
  parseJudgeCalibration,
  parseJudgePriceTable,
  parseJudgeTemplate,
  type JudgeCalibration,
  type JudgePrices,
  type JudgeProgress,
  type JudgeRunReport,
  type JudgeTemplate,
} from "@lora-litee/ensemble";
import { FileJudgeCache, readArenaRows, writePredictionsCsv } from "@lora-litee/ensemble/node";
import { SingleBar } from "cli-progress";
import { InvalidArgumentError, Option, type Command } from "commander";

/** A run stopped with Ctrl-C: nothing is lost, the same command resumes it. */
class JudgeInterruptedError extends Error {
  constructor(cache: string, answered: number) {
    super(`interrupted after ${answered} answers; they are cached in ${cache}, so the same command resumes the run`);
    this.name = "JudgeInterruptedError";
  }
}

/** The flags of `litee judge`, as commander parses them. */
interface JudgeFlags {
  data?: string;
  out?: string;
  baseUrl: string;
  model: string;
  apiKeyEnv: string;
  concurrency: number;
  cache: string;
  maxRows?: number;
  template?: string;
  bothOrders: boolean;
  calibrate: boolean;
  labels?: string;
  calibration?: string;
  timeoutMs: number;
  retries: number;
  maxTokens: number;
  logprobs: boolean;
  topLogprobs: number;
  maxMessageChars: number;
  prices?: string;
  priceInput?: number;
  priceOutput?: number;
  report?: string;
}

// Commander reports an InvalidArgumentError as a usage error naming the option and the value.
const positiveInt = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError("expected a positive integer");
  return n;
};
const nonNegativeInt = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError("expected a non-negative integer");
  return n;
};
const nonNegative = (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError("expected a non-negative number");
  return n;
};

/** `litee judge`: a zero-shot LLM judge over any OpenAI-compatible endpoint, written as one more ensemble member. */
export function registerJudgeCommands(program: Command): void {
  program
    .command("judge")
    .description(
      "ask an OpenAI-compatible chat endpoint which response wins each pair and write [A, B, tie] probabilities " +
        "(from the verdict token's log-probabilities, else from a verdict calibration); answers are cached, so a " +
        "killed run resumes and a rerun makes no requests",
    )
    .option("--data <csv>", "arena CSV to judge")
    .option("--out <csv>", "prediction file to write (id, winner_model_a, winner_model_b, winner_tie)")
    .requiredOption("--base-url <url>", "API root, e.g. http://127.0.0.1:8000/v1 (vLLM, llama.cpp, Ollama, OpenAI)")
    .requiredOption("--model <name>", "model name sent with each request")
    .option("--api-key-env <NAME>", "environment variable holding the API key (never logged or cached)", "OPENAI_API_KEY")
    .option("--concurrency <n>", "requests in flight at once", positiveInt, 8)
    .option("--cache <dir>", "answer cache directory (one JSON file per request)", ".litee-judge-cache")
    .option("--max-rows <n>", "judge only the first N rows", positiveInt)
    .option("--template <file>", `prompt template JSON {version, system, user, reminder} (default ${JUDGE_TEMPLATE_V1.version})`)
    .option("--both-orders", "also ask with A and B swapped and average (cancels position bias)", false)
    .option("--calibrate", "fit a verdict calibration on --labels rows and write it to --calibration", false)
    .option("--labels <csv>", "labelled arena CSV for --calibrate")
    .option("--calibration <json>", "verdict calibration: read it (judging) or write it (--calibrate)")
    .option("--timeout-ms <ms>", "abort one request after this long", positiveInt, 60_000)
    .option("--retries <n>", "retries on 429, 5xx, timeouts and malformed bodies", nonNegativeInt, 5)
    .option("--max-tokens <n>", "completion length limit", positiveInt, 16)
    .option("--no-logprobs", "do not ask for log-probabilities (endpoints that reject the field)")
    .option("--top-logprobs <n>", "alternatives per token", positiveInt, 10)
    .option("--max-message-chars <n>", "cut each turn to this many characters", positiveInt, 8000)
    .option("--prices <json>", 'price table {"<model>": {"inputPerMillion": 10, "outputPerMillion": 30}}')
    .addOption(new Option("--price-input <usd>", "US$ per million prompt tokens").argParser(nonNegative))
    .addOption(new Option("--price-output <usd>", "US$ per million completion tokens").argParser(nonNegative))
    .option("--report <json>", "also write the run report as JSON")
    .action(async (flags: JudgeFlags, command: Command) => {
      if (flags.calibrate && (!flags.labels || !flags.calibration)) {
        command.error("error: --calibrate needs --labels <csv> (labelled rows) and --calibration <json> (output)");
      }
      if (!flags.calibrate && (!flags.data || !flags.out)) {
        command.error("error: judging needs --data <csv> and --out <csv> (or --calibrate)");
      }
      await runJudgeCommand(flags, command.getOptionValueSource("apiKeyEnv") === "cli");
    });
}

async function runJudgeCommand(flags: JudgeFlags, explicitKeyEnv: boolean): Promise<void> {
  const input = flags.calibrate ? flags.labels : flags.data;
  const apiKey = process.env[flags.apiKeyEnv];
  if (explicitKeyEnv && !apiKey) {
    throw new JudgeOptionsError("--api-key-env", `environment variable ${flags.apiKeyEnv} is not set or empty`);
  }
  const template: JudgeTemplate = flags.template
    ? parseJudgeTemplate(await readFile(flags.template, "utf8"), flags.template)
    : JUDGE_TEMPLATE_V1;
  const prices = await resolvePrices(flags);
  const calibration = !flags.calibrate && flags.calibration ? await readCalibration(flags, template) : undefined;
  const client = createChatClient({
    baseUrl: flags.baseUrl,
    model: flags.model,
    apiKey,
    timeoutMs: flags.timeoutMs,
    maxTokens: flags.maxTokens,
    logprobs: flags.logprobs,
    topLogprobs: flags.topLogprobs,
  });

  const allRows = await readArenaRows(input!);
  const rows = flags.maxRows === undefined ? allRows : allRows.slice(0, flags.maxRows);
  const cache = new FileJudgeCache(flags.cache);
  const progress = progressBar(rows.length * (flags.bothOrders ? 2 : 1), flags.bothOrders ? 2 : 1, prices);
  // Ctrl-C stops asking and aborts the requests in flight; every answer already received is in the cache.
  const interrupt = new AbortController();
  const onSigint = () => interrupt.abort(new JudgeInterruptedError(flags.cache, progress.done()));
  process.once("SIGINT", onSigint);
  let collection;
  try {
    collection = await collectJudgeAnswers(rows, {
      client,
      cache,
      template,
      bothOrders: flags.bothOrders,
      concurrency: flags.concurrency,
      retry: { retries: flags.retries },
      maxMessageChars: flags.maxMessageChars,
      onProgress: progress.update,
      signal: interrupt.signal,
    });
  } finally {
    process.off("SIGINT", onSigint);
    progress.stop();
  }
  const { answers, report } = collection;
  const lines = summaryLines(report, prices, cache.unreadable);

  if (flags.calibrate) {
    const labelled = rows.map((row, i) => ({ i, label: row.label })).filter((r) => r.label !== undefined);
    if (labelled.length === 0) throw new JudgeCalibrationError(input!, "no labelled rows to calibrate on");
    const fitted = fitJudgeCalibration(
      labelledVerdicts(
        labelled.map((r) => answers[r.i]!),
        labelled.map((r) => r.label!),
      ),
      { templateVersion: template.version, model: flags.model },
    );
    await writeFile(flags.calibration!, `${JSON.stringify(fitted, null, 2)}\n`);
    lines.unshift(`litee judge --calibrate: ${labelled.length} labelled rows → ${flags.calibration}`);
    if (labelled.length < rows.length) lines.push(`  rows without a label, left out of the fit: ${rows.length - labelled.length}`);
  } else {
    const predictions = judgePredictions(answers, calibration);
    await writePredictionsCsv(flags.out!, predictions.ids, predictions.probabilities);
    lines.unshift(`litee judge: ${rows.length} rows × ${report.orders.length} order(s) → ${flags.out}`);
    lines.push(
      `  probabilities: ${predictions.fromLogprobs} answers from log-probabilities, ` +
        `${predictions.fromVerdicts} from the verdict calibration, ${predictions.fromPrior} from the prior`,
    );
  }
  if (flags.report) await writeFile(flags.report, `${JSON.stringify(report, null, 2)}\n`);
  process.stderr.write(`${lines.join("\n")}\n`);
}

async function readCalibration(flags: JudgeFlags, template: JudgeTemplate): Promise<JudgeCalibration> {
  const path = flags.calibration!;
  const calibration = parseJudgeCalibration(await readFile(path, "utf8"), path);
  if (calibration.templateVersion !== template.version || calibration.model !== flags.model) {
    throw new JudgeCalibrationError(
      path,
      `fitted for model "${calibration.model}" with template "${calibration.templateVersion}", ` +
        `but this run uses model "${flags.model}" with template "${template.version}"`,
    );
  }
  return calibration;
}

async function resolvePrices(flags: JudgeFlags): Promise<JudgePrices | undefined> {
  if (flags.priceInput !== undefined || flags.priceOutput !== undefined) {
    return { inputPerMillion: flags.priceInput ?? 0, outputPerMillion: flags.priceOutput ?? 0 };
  }
  if (!flags.prices) return undefined;
  const table = parseJudgePriceTable(await readFile(flags.prices, "utf8"), flags.prices);
  const prices = table[flags.model];
  if (!prices) {
    throw new JudgeCalibrationError(flags.prices, `has no prices for model "${flags.model}" (has: ${Object.keys(table).join(", ")})`);
  }
  return prices;
}

function costText(progress: Pick<JudgeProgress, "promptTokens" | "completionTokens">, prices: JudgePrices | undefined) {
  return prices ? `$${estimateJudgeCost(progress.promptTokens, progress.completionTokens, prices).toFixed(4)}` : "n/a";
}

/** A progress bar on stderr (plain lines when stderr is not a terminal) with rows/s, tokens and cost. */
function progressBar(total: number, orders: number, prices: JudgePrices | undefined) {
  const bar = new SingleBar({
    stream: process.stderr,
    format: "judge [{bar}] {value}/{total} answers | {rowsPerSecond} rows/s | {tokens} tokens | cost {cost}",
    noTTYOutput: true,
    notTTYSchedule: 5000,
    hideCursor: true,
  });
  const started = performance.now();
  let done = 0;
  bar.start(total, 0, { rowsPerSecond: "0.0", tokens: 0, cost: costText({ promptTokens: 0, completionTokens: 0 }, prices) });
  return {
    update: (p: JudgeProgress) => {
      done = p.done;
      bar.update(p.done, {
        rowsPerSecond: (p.done / orders / Math.max(1e-3, (performance.now() - started) / 1000)).toFixed(1),
        tokens: p.promptTokens + p.completionTokens,
        cost: costText(p, prices),
      });
    },
    done: () => done,
    stop: () => bar.stop(),
  };
}

function summaryLines(report: JudgeRunReport, prices: JudgePrices | undefined, unreadableCacheFiles: number): string[] {
  const lines = [
    `  template ${report.templateVersion}; answers from cache ${report.fromCache}/${report.total}`,
    `  requests ${report.requests} (retries ${report.retries}, reminders ${report.reminders})`,
    `  tokens ${report.promptTokens} prompt + ${report.completionTokens} completion; estimated cost ${costText(report, prices)}`,
  ];
  if (report.truncatedMessages > 0) lines.push(`  turns cut to --max-message-chars: ${report.truncatedMessages}`);
  if (unreadableCacheFiles > 0) lines.push(`  unreadable cache files asked again: ${unreadableCacheFiles}`);
  if (report.unreadableAnswers.length > 0) {
    const ids = report.unreadableAnswers.map((u) => `${u.id} (${u.order})`).join(", ");
    lines.push(`  answers with no verdict after the reminder, predicted with the prior: ${report.unreadable} — ${ids}`);
  }
  return lines;
}
