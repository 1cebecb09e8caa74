import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { completionBody, startFakeChatServer, type FakeChatServer, type FakeReply } from "../../test/fake-chat-server.js";
import { expectedRow, readJudgeRequest, ruleReply, scoredPairs } from "../../test/score-rule-judge.js";
import { judgeCacheKey, MemoryJudgeCache } from "./cache.js";
import { createChatClient } from "./client.js";
import { FileJudgeCache } from "./file-cache.js";
import { collectJudgeAnswers } from "./judge-member.js";
import { judgePredictions } from "./judge-predictions.js";
import { JUDGE_TEMPLATE_V1, renderJudgePrompt } from "./prompt-template.js";
import { abortableSleep } from "./retry.js";

const KEY = "sk-test-MEMBER-51c0ffee";
const fastRetry = { baseDelayMs: 2, maxDelayMs: 10 };
let server: FakeChatServer | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await server?.close();
  server = undefined;
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "litee-judge-"));
  dirs.push(dir);
  return dir;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe("collectJudgeAnswers + judgePredictions against a local endpoint", () => {
  it("predicts exactly by the server's rule through 429s, 500s, timeouts, malformed bodies and unreadable replies", async () => {
    const { pairs, scores } = scoredPairs(10);
    const tries = new Map<string, number>();
    server = await startFakeChatServer((request): FakeReply => {
      const { row, reminded } = readJudgeRequest(request);
      const key = `${request.body.messages[1]!.content}|${reminded}`;
      const attempt = tries.get(key) ?? 0;
      tries.set(key, attempt + 1);
      if (row === 1 && attempt === 0) return { status: 429, headers: { "retry-after-ms": "15" }, body: { error: "rate" } };
      if (row === 2 && attempt < 2) return { status: 500, body: { error: "boom" } };
      if (row === 3 && attempt === 0) return { ...ruleReply(request), delayMs: 5_000 };
      if (row === 4 && attempt === 0) return { body: '{"choices": [' };
      if (row === 5 && !reminded) return { body: completionBody("Both replies have merit; hard to say.") };
      if (row === 6) return { body: completionBody("I would rather not choose.") };
      return ruleReply(request);
    });
    const waits: number[] = [];
    const client = createChatClient({ baseUrl: server.baseUrl, model: "rule-judge", apiKey: KEY, timeoutMs: 1_000 });
    const cache = new FileJudgeCache(await tempDir());
    const options = {
      client,
      cache,
      bothOrders: true,
      concurrency: 4,
      retry: { ...fastRetry, sleep: (ms: number, signal?: AbortSignal) => (waits.push(ms), abortableSleep(ms, signal)) },
    };
    const { answers, report } = await collectJudgeAnswers(pairs, options);

    // per order: row 1 +1 (429), row 2 +2 (500s), row 3 +1 (timeout), row 4 +1 (malformed), rows 5, 6 +1 (reminder)
    expect(server.requests).toHaveLength(2 * 10 + 2 * 7);
    expect(report).toMatchObject({ done: 20, total: 20, fromCache: 0, requests: 34, retries: 10, reminders: 4, unreadable: 2 });
    expect(report.unreadableAnswers).toEqual([
      { id: "q6", order: "ab", reply: "I would rather not choose." },
      { id: "q6", order: "ba", reply: "I would rather not choose." },
    ]);
    expect(waits.filter((w) => w === 15)).toHaveLength(2); // the 429's retry-after-ms, once per order
    expect(report.promptTokens).toBe(100 * (34 - 10)); // the fake reports 100 prompt tokens per successful request
    expect(server.requests.every((r) => r.headers.authorization === `Bearer ${KEY}`)).toBe(true);
    const reminder = server.requests.find((r) => readJudgeRequest(r).reminded)!.body.messages;
    expect(reminder.slice(2)).toEqual([
      { role: "assistant", content: expect.stringMatching(/hard to say|rather not/) },
      { role: "user", content: JUDGE_TEMPLATE_V1.reminder },
    ]);

    const predictions = judgePredictions(answers);
    expect(predictions.ids).toEqual(pairs.map((p) => p.id));
    expect(predictions).toMatchObject({ fromLogprobs: 18, fromVerdicts: 0, fromPrior: 2 });
    pairs.forEach((_, i) => {
      const expected = i === 6 ? [1 / 3, 1 / 3, 1 / 3] : expectedRow(scores[i]![0], scores[i]![1], true);
      expect([...predictions.probabilities.subarray(i * 3, i * 3 + 3)]).toEqual(expected.map((x) => expect.closeTo(x, 12)));
    });

    // The cache holds no key; a rerun makes no request and predicts the same.
    for (const file of await filesUnder(cache.dir)) expect(await readFile(file, "utf8")).not.toContain(KEY);
    const before = server.requests.length;
    const again = await collectJudgeAnswers(pairs, { ...options, cache: new FileJudgeCache(cache.dir) });
    expect(server.requests.length).toBe(before);
    expect(again.report).toMatchObject({ fromCache: 20, requests: 0, unreadable: 2, reminders: 4 });
    expect(judgePredictions(again.answers).probabilities).toEqual(predictions.probabilities);
  });

  it("resumes an aborted run with only the missing requests", async () => {
    const { pairs, scores } = scoredPairs(12);
    server = await startFakeChatServer((request) => ({ ...ruleReply(request), delayMs: 5 }));
    const client = createChatClient({ baseUrl: server.baseUrl, model: "rule-judge" });
    const dir = await tempDir();
    const stop = new AbortController();
    const first = collectJudgeAnswers(pairs, {
      client,
      cache: new FileJudgeCache(dir),
      concurrency: 3,
      signal: stop.signal,
      onProgress: (p) => p.done === 5 && stop.abort(new Error("killed")),
    });
    await expect(first).rejects.toThrow("killed");

    const cached = new Set<number>();
    for (const [i, pair] of pairs.entries()) {
      const key = await judgeCacheKey(client.settings, JUDGE_TEMPLATE_V1.version, renderJudgePrompt(JUDGE_TEMPLATE_V1, pair, "ab", 8000).messages);
      if (await new FileJudgeCache(dir).get(key)) cached.add(i);
    }
    expect(cached.size).toBeGreaterThanOrEqual(5);
    expect(cached.size).toBeLessThan(12);
    expect((await filesUnder(dir)).every((f) => f.endsWith(".json"))).toBe(true); // no torn temp files

    const sentBefore = server.requests.length;
    const resumed = await collectJudgeAnswers(pairs, { client, cache: new FileJudgeCache(dir), concurrency: 3 });
    const resumedRows = server.requests.slice(sentBefore).map((r) => readJudgeRequest(r).row);
    expect(resumedRows.sort((a, b) => a - b)).toEqual([...pairs.keys()].filter((i) => !cached.has(i)));
    expect(resumed.report.fromCache).toBe(cached.size);
    const { probabilities } = judgePredictions(resumed.answers);
    pairs.forEach((_, i) => {
      expect([...probabilities.subarray(i * 3, i * 3 + 3)]).toEqual(
        expectedRow(scores[i]![0], scores[i]![1], false).map((x) => expect.closeTo(x, 12)),
      );
    });
  });

  it("resumes after the judging process is killed (SIGKILL) with only the missing requests", async () => {
    const rows = 16;
    const { pairs, scores } = scoredPairs(rows);
    // The handler first runs once the child below exists and sends its first request.
    server = await startFakeChatServer((request) => {
      if (server!.requests.length === 7) child.kill("SIGKILL");
      return { ...ruleReply(request), delayMs: 30 };
    });
    const dir = await tempDir();
    const testDir = fileURLToPath(new URL("../../test/", import.meta.url));
    const child = spawn(
      process.execPath,
      [
        "--experimental-transform-types",
        "--no-warnings",
        "--import",
        pathToFileURL(join(testDir, "ts-resolve-hook.mjs")).href,
        join(testDir, "judge-child-run.ts"),
        server.baseUrl,
        dir,
        String(rows),
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    child.stdout!.on("data", (d) => (output += d));
    child.stderr!.on("data", (d) => (output += d));
    const signal = await new Promise((resolve) => child.on("exit", (_code, sig) => resolve(sig)));
    expect(signal, output).toBe("SIGKILL");
    expect(output).not.toContain("finished");

    const entries = (await filesUnder(dir)).filter((f) => f.endsWith(".json"));
    for (const file of entries) JSON.parse(await readFile(file, "utf8")); // no torn entry
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.length).toBeLessThan(rows);

    const sentBefore = server.requests.length;
    const client = createChatClient({ baseUrl: server.baseUrl, model: "rule-judge" });
    const resumed = await collectJudgeAnswers(pairs, { client, cache: new FileJudgeCache(dir), concurrency: 4 });
    expect(server.requests.length - sentBefore).toBe(rows - entries.length);
    expect(resumed.report).toMatchObject({ fromCache: entries.length, requests: rows - entries.length });
    const { probabilities } = judgePredictions(resumed.answers);
    pairs.forEach((_, i) => {
      expect([...probabilities.subarray(i * 3, i * 3 + 3)]).toEqual(
        expectedRow(scores[i]![0], scores[i]![1], false).map((x) => expect.closeTo(x, 12)),
      );
    });
  });

  it("asks identical pairs once per run", async () => {
    const { pairs } = scoredPairs(1);
    server = await startFakeChatServer((request) => ({ ...ruleReply(request), delayMs: 20 }));
    const client = createChatClient({ baseUrl: server.baseUrl, model: "m" });
    const twins = [pairs[0]!, { ...pairs[0]!, id: "twin" }];
    const { answers, report } = await collectJudgeAnswers(twins, { client, concurrency: 2, cache: new MemoryJudgeCache() });
    expect(server.requests).toHaveLength(1);
    expect(answers[1]).toEqual({ id: "twin", ab: answers[0]!.ab });
    expect(report.requests).toBe(1);
  });

  it("stops on a failure retrying cannot fix, keeping finished answers", async () => {
    const { pairs } = scoredPairs(6);
    server = await startFakeChatServer((request) =>
      readJudgeRequest(request).row === 3 ? { status: 404, body: { error: "model not found" } } : ruleReply(request),
    );
    const cache = new MemoryJudgeCache();
    const client = createChatClient({ baseUrl: server.baseUrl, model: "missing" });
    await expect(collectJudgeAnswers(pairs, { client, cache, concurrency: 1 })).rejects.toMatchObject({
      name: "JudgeHttpError",
      status: 404,
    });
    expect(cache.size).toBe(3);
    expect(server.requests).toHaveLength(4);
  });

  it("needs a calibration when the endpoint gives verdicts only, and then uses it", async () => {
    const { pairs } = scoredPairs(4);
    server = await startFakeChatServer((request) => ruleReply(request, false));
    const client = createChatClient({ baseUrl: server.baseUrl, model: "m" });
    const { answers } = await collectJudgeAnswers(pairs, { client });
    expect(() => judgePredictions(answers)).toThrow(/4 answers came without log-probabilities \(first: q0 \(ab\), q1 \(ab\)/);
    const verdicts = answers.map((a) => a.ab.verdict);
    const calibration = {
      format: "litee-judge-calibration" as const,
      version: 1 as const,
      templateVersion: "litee-judge-v1",
      model: "m",
      alpha: 1,
      labelCounts: [2, 1, 1],
      counts: { ab: [3, 1, 0, 0, 2, 0, 0, 0, 0], ba: new Array(9).fill(0) },
    };
    const { probabilities, fromVerdicts } = judgePredictions(answers, calibration);
    expect(fromVerdicts).toBe(4);
    verdicts.forEach((v, i) => {
      const row = v === "A" ? [4 / 7, 2 / 7, 1 / 7] : v === "B" ? [1 / 5, 3 / 5, 1 / 5] : [1 / 3, 1 / 3, 1 / 3];
      expect([...probabilities.subarray(i * 3, i * 3 + 3)]).toEqual(row.map((x) => expect.closeTo(x, 15)));
    });
  });
});
