/**
 * The judge pipeline's own cost on the real arena rows, against a loopback endpoint that answers by a fixed rule
 * (the longer conversation wins) with top log-probabilities after `latencyMs`: a cold run (every pair asked, both
 * orders), then a warm rerun from the file cache. Prints one JSON object.
 * Run: esbuild bench/judge.bench.ts --bundle --platform=node --format=esm --packages=external \
 *        --outfile=.bench/judge.bench.mjs && node .bench/judge.bench.mjs [latencyMs] [concurrency]
 */
import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { collectJudgeAnswers, createChatClient, judgePredictions } from "../src/index.js";
import { FileJudgeCache, readArenaRows } from "../src/node.js";
import { completionBody, startFakeChatServer } from "../test/fake-chat-server.js";

const [latencyMs = 20, concurrency = 8] = process.argv.slice(2).map(Number);
const arena = fileURLToPath(new URL("../../../../shared/data/arena/train_dev.csv", import.meta.url));
const rows = await readArenaRows(arena);

const server = await startFakeChatServer((request) => {
  const user = request.body.messages[1]!.content;
  const length = (tag: string) => user.indexOf(`</${tag}>`) - user.indexOf(`<${tag}>`);
  const [a, b] = [length("conversation_a"), length("conversation_b")];
  const p = a > 1.2 * b ? [0.6, 0.25, 0.15] : b > 1.2 * a ? [0.25, 0.6, 0.15] : [0.35, 0.35, 0.3];
  const words = ["A", "B", "tie"];
  const best = p.indexOf(Math.max(...p));
  const top = words.map((token, k) => ({ token, logprob: Math.log(p[k]!) }));
  return { body: completionBody(words[best]!, [{ token: words[best]!, logprob: top[best]!.logprob, top }]), delayMs: latencyMs };
});
const dir = await mkdtemp(join(tmpdir(), "litee-judge-bench-"));
const client = createChatClient({ baseUrl: server.baseUrl, model: "length-rule" });

async function timed() {
  const started = performance.now();
  const { answers, report } = await collectJudgeAnswers(rows, { client, cache: new FileJudgeCache(dir), bothOrders: true, concurrency });
  const seconds = (performance.now() - started) / 1000;
  const predictions = judgePredictions(answers);
  return {
    seconds,
    rowsPerSecond: rows.length / seconds,
    requests: report.requests,
    fromCache: report.fromCache,
    truncatedMessages: report.truncatedMessages,
    fromLogprobs: predictions.fromLogprobs,
  };
}

const cold = await timed();
const warm = await timed();
const files = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
const bytes = (await Promise.all(files.map((f) => stat(join(f.parentPath, f.name))))).reduce((s, f) => s + f.size, 0);
await server.close();
await rm(dir, { recursive: true, force: true });
console.log(
  JSON.stringify(
    {
      benchmark: "judge-pipeline",
      node: process.version,
      rows: rows.length,
      orders: 2,
      latencyMs,
      concurrency,
      cold,
      warm,
      cacheFiles: files.length,
      cacheBytes: bytes,
    },
    null,
    2,
  ),
);
