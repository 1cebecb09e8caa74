import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runLitee } from "../testing/run-litee.js";

const KEY = "sk-cli-test-7a6b5c4d3e";
const HEADER = "id,winner_model_a,winner_model_b,winner_tie";
let dir: string;
const path = (name: string) => join(dir, name);

/** Scores carried by the replies of row i, and its label (the higher score wins; equal scores tie). */
function rowScores(i: number): { a: number; b: number; label: number } {
  const a = 1 + ((i * 7) % 4);
  const b = 1 + ((i * 5 + 1) % 4);
  return { a, b, label: a > b ? 0 : b > a ? 1 : 2 };
}

function arenaCsv(rows: number, labelled: boolean): string {
  const header = "id,model_a,model_b,prompt,response_a,response_b" + (labelled ? ",winner_model_a,winner_model_b,winner_tie" : "");
  const cell = (turns: string[]) => `"${JSON.stringify(turns).replaceAll('"', '""')}"`;
  const lines = [header];
  for (let i = 0; i < rows; i++) {
    const { a, b, label } = rowScores(i);
    const flags = labelled ? [0, 1, 2].map((k) => (k === label ? 1 : 0)) : [];
    lines.push([`r${i}`, "m1", "m2", cell([`question ${i}`]), cell([`score=${a}`]), cell([`score=${b}`]), ...flags].join(","));
  }
  return `${lines.join("\n")}\n`;
}

/**
 * The endpoint's rule: with scores s₁ (shown first) and s₂ its belief is [s₁, s₂, 1] / (s₁ + s₂ + 1), listed as
 * top log-probabilities; it answers the higher-scored side (tie when equal), so its verdict is always the true label;
 * question 3 is never answered with a verdict; the very first request gets a 429.
 */
function belief(first: number, second: number): number[] {
  const z = first + second + 1;
  return [first / z, second / z, 1 / z];
}

interface FakeEndpoint {
  url: string;
  requests: { auth: string | undefined; logprobs: boolean }[];
  close(): Promise<void>;
}

async function startEndpoint(withLogprobs: boolean, onRequest?: (count: number) => void): Promise<FakeEndpoint> {
  const requests: FakeEndpoint["requests"] = [];
  const server: Server = createServer((req, res) => {
    let text = "";
    req.on("data", (chunk) => (text += chunk));
    req.on("end", () => {
      const body = JSON.parse(text) as { logprobs?: boolean; messages: { content: string }[] };
      requests.push({ auth: req.headers.authorization, logprobs: body.logprobs === true });
      onRequest?.(requests.length);
      if (requests.length === 1) {
        res.writeHead(429, { "retry-after-ms": "5" }).end("{}");
        return;
      }
      const user = body.messages[1]!.content;
      const score = (tag: string) => Number(new RegExp(`<${tag}>[\\s\\S]*?score=(\\d+)`).exec(user)![1]);
      const [first, second] = [score("conversation_a"), score("conversation_b")];
      const p = belief(first, second);
      const best = first > second ? 0 : second > first ? 1 : 2;
      const words = ["A", "B", "tie"];
      const content = /question 3\n/.test(user) ? "Hard to say." : words[best]!;
      const top = words.map((token, k) => ({ token, logprob: Math.log(p[k]!) }));
      const logprobs = withLogprobs && body.logprobs ? { content: [{ token: content, logprob: top[best]!.logprob, top_logprobs: top }] } : null;
      res.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify({
          choices: [{ index: 0, message: { role: "assistant", content }, logprobs }],
          usage: { prompt_tokens: 200, completion_tokens: 1 },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    requests,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

async function run(...args: string[]): Promise<{ code: number; output: string }> {
  const { code, stdout, stderr } = await runLitee(...args);
  return { code, output: stdout + stderr };
}

async function readRows(file: string): Promise<Map<string, number[]>> {
  const lines = (await readFile(file, "utf8")).trim().split("\n");
  expect(lines[0]).toBe(HEADER);
  return new Map(lines.slice(1).map((line) => {
    const [id, ...p] = line.split(",");
    return [id!, p.map(Number)];
  }));
}

async function everyFileText(root: string): Promise<string> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
  return (await Promise.all(files.map((f) => readFile(f, "utf8")))).join("\n");
}

let endpoint: FakeEndpoint | undefined;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "litee-judge-cli-"));
  await writeFile(path("test.csv"), arenaCsv(8, false));
  await writeFile(path("train.csv"), arenaCsv(12, true));
});
afterEach(async () => {
  await endpoint?.close();
  endpoint = undefined;
  delete process.env.LITEE_TEST_KEY;
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe("litee judge", () => {
  it("writes log-probability predictions in both orders, reports unreadable rows, and reruns from the cache", async () => {
    endpoint = await startEndpoint(true);
    process.env.LITEE_TEST_KEY = KEY;
    const args = [
      "judge", "--data", path("test.csv"), "--out", path("judge.csv"), "--base-url", endpoint.url, "--model", "rule",
      "--api-key-env", "LITEE_TEST_KEY", "--cache", path("cache"), "--both-orders", "--concurrency", "3",
      "--price-input", "10", "--price-output", "30", "--report", path("report.json"),
    ];
    const first = await run(...args);
    expect(first.code, first.output).toBe(0);
    // 8 rows × 2 orders, + 1 retry after the 429, + 2 reminders for question 3
    expect(endpoint.requests).toHaveLength(19);
    expect(endpoint.requests.every((r) => r.auth === `Bearer ${KEY}` && r.logprobs)).toBe(true);

    const rows = await readRows(path("judge.csv"));
    expect([...rows.keys()]).toEqual(["r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7"]);
    for (let i = 0; i < 8; i++) {
      const { a, b } = rowScores(i);
      const ab = belief(a, b);
      const [bb, ba, bt] = belief(b, a); // asked swapped: its "A" is the original B
      const expected = i === 3 ? [1 / 3, 1 / 3, 1 / 3] : [(ab[0]! + ba) / 2, (ab[1]! + bb) / 2, (ab[2]! + bt) / 2];
      expect(rows.get(`r${i}`)).toEqual(expected.map((x) => expect.closeTo(x, 12)));
    }
    expect(first.output).toContain("requests 19 (retries 1, reminders 2)");
    expect(first.output).toContain("tokens 3600 prompt + 18 completion; estimated cost $0.0365");
    expect(first.output).toContain("predicted with the prior: 2 — r3 (ab), r3 (ba)");
    expect(first.output).toContain("14 answers from log-probabilities, 0 from the verdict calibration, 2 from the prior");

    const second = await run(...args);
    expect(second.code).toBe(0);
    expect(endpoint.requests).toHaveLength(19);
    expect(second.output).toContain("answers from cache 16/16");
    expect(second.output).toContain("requests 0 (retries 0, reminders 2)");
    expect(await readRows(path("judge.csv"))).toEqual(rows);

    const everything = [first.output, second.output, await everyFileText(dir)].join("\n");
    expect(everything).toContain("r3 (ab)"); // the scan does read the logs and files
    expect(everything).not.toContain(KEY);
    expect(JSON.parse(await readFile(path("report.json"), "utf8"))).toMatchObject({ rows: 8, requests: 0, fromCache: 16 });
  });

  it("calibrates verdicts on labelled rows when the endpoint gives no log-probabilities", async () => {
    endpoint = await startEndpoint(false);
    const common = ["--base-url", endpoint.url, "--model", "rule", "--cache", path("cache-verdicts")];
    const uncalibrated = await run("judge", "--data", path("test.csv"), "--out", path("v.csv"), ...common);
    expect(uncalibrated.code).toBe(1);
    expect(uncalibrated.output).toMatch(/JudgeCalibrationError: judge answers: 7 answers came without log-probabilities/);

    const fit = await run("judge", "--calibrate", "--labels", path("train.csv"), "--calibration", path("cal.json"), ...common);
    expect(fit.code, fit.output).toBe(0);
    const calibration = JSON.parse(await readFile(path("cal.json"), "utf8"));
    // Hand count over train rows 0–11 (row 3 unreadable): the rule's verdict is always the true label here.
    const counts = [0, 0, 0];
    for (let i = 0; i < 12; i++) if (i !== 3) counts[rowScores(i).label]! += 1;
    expect(calibration).toMatchObject({ model: "rule", templateVersion: "litee-judge-v1", alpha: 1 });
    expect(calibration.counts.ab).toEqual([counts[0], 0, 0, 0, counts[1], 0, 0, 0, counts[2]]);
    expect(calibration.labelCounts).toEqual([0, 1, 2].map((k) => counts[k]! + (rowScores(3).label === k ? 1 : 0)));

    const before = endpoint.requests.length;
    const judged = await run("judge", "--data", path("test.csv"), "--out", path("v.csv"), "--calibration", path("cal.json"), ...common);
    expect(judged.code, judged.output).toBe(0);
    expect(endpoint.requests.length).toBe(before); // the test rows' answers were cached by the failed run
    const rows = await readRows(path("v.csv"));
    const n = counts.map((c) => c);
    for (let i = 0; i < 8; i++) {
      const { label } = rowScores(i);
      const row = [0, 1, 2].map((k) => ((k === label ? n[label]! : 0) + 1) / (n[label]! + 3));
      const prior = calibration.labelCounts.map((c: number) => (c + 1) / (12 + 3));
      expect(rows.get(`r${i}`)).toEqual((i === 3 ? prior : row).map((x: number) => expect.closeTo(x, 12)));
    }
  });

  it("refuses a calibration fitted for another model, and a named key variable that is not set", async () => {
    endpoint = await startEndpoint(false);
    const base = ["judge", "--data", path("test.csv"), "--out", path("x.csv"), "--base-url", endpoint.url];
    const other = await run(...base, "--model", "other", "--calibration", path("cal.json"));
    expect(other.output).toContain('fitted for model "rule" with template "litee-judge-v1", but this run uses model "other"');
    const noKey = await run(...base, "--model", "rule", "--api-key-env", "LITEE_TEST_KEY");
    expect(noKey.code).toBe(1);
    expect(noKey.output).toContain("environment variable LITEE_TEST_KEY is not set or empty");
    const usage = await run("judge", "--base-url", endpoint.url, "--model", "rule");
    expect(usage).toMatchObject({ code: 2, output: expect.stringContaining("judging needs --data <csv> and --out <csv>") });
    const badFlag = await run(...base, "--model", "rule", "--retries", "2.5");
    expect(badFlag).toMatchObject({ code: 2, output: expect.stringContaining("'2.5' is invalid. expected a non-negative integer") });
    expect(endpoint.requests).toHaveLength(0);
  });

  it("stops on Ctrl-C with the answers so far cached, and the same command resumes", async () => {
    expect(process.listenerCount("SIGINT")).toBe(0); // so the emitted signal below reaches only the command
    endpoint = await startEndpoint(true, (count) => count === 5 && process.emit("SIGINT"));
    const args = ["judge", "--data", path("train.csv"), "--out", path("int.csv"), "--base-url", endpoint.url, "--model", "rule", "--cache", path("cache-int"), "--concurrency", "1"];
    const stopped = await run(...args);
    expect(stopped.code).toBe(1);
    expect(stopped.output).toMatch(/JudgeInterruptedError: interrupted after 3 answers; they are cached in .*cache-int, so the same command resumes/);
    expect(process.listenerCount("SIGINT")).toBe(0);
    const resumed = await run(...args);
    expect(resumed.code, resumed.output).toBe(0);
    // 5 requests before the stop (a 429, 3 answers, one aborted); the rest: 12 rows − 3 cached + question 3's reminder
    expect(endpoint.requests).toHaveLength(5 + 9 + 1);
    expect(resumed.output).toContain("answers from cache 3/12");
  });

  it("uses a --template file and --max-rows", async () => {
    endpoint = await startEndpoint(true);
    const template = {
      version: "my-judge-2",
      system: "Judge.",
      user: "<conversation_a>\n{{conversation_a}}\n</conversation_a>\n<conversation_b>\n{{conversation_b}}\n</conversation_b>\nA, B or tie?",
      reminder: "One word: A, B or tie.",
    };
    await writeFile(path("template.json"), JSON.stringify(template));
    const result = await run(
      "judge", "--data", path("test.csv"), "--out", path("t.csv"), "--base-url", endpoint.url, "--model", "rule",
      "--cache", path("cache-template"), "--template", path("template.json"), "--max-rows", "2",
    );
    expect(result.code, result.output).toBe(0);
    expect([...(await readRows(path("t.csv"))).keys()]).toEqual(["r0", "r1"]);
    expect(result.output).toContain("template my-judge-2");
    expect(endpoint.requests).toHaveLength(3); // 2 rows + the 429 retry
  });

  it("writes a member that litee eval scores and litee ensemble combines", async () => {
    endpoint = await startEndpoint(true);
    const judged = await run(
      "judge", "--data", path("train.csv"), "--out", path("judge-train.csv"), "--base-url", endpoint.url,
      "--model", "rule", "--cache", path("cache-member"),
    );
    expect(judged.code, judged.output).toBe(0);
    const expected = Array.from({ length: 12 }, (_, i) => {
      const { a, b } = rowScores(i);
      return i === 3 ? [1 / 3, 1 / 3, 1 / 3] : belief(a, b);
    });
    const logLoss = -expected.reduce((sum, p, i) => sum + Math.log(p[rowScores(i).label]!), 0) / 12;
    const scored = await run("eval", "--preds", path("judge-train.csv"), "--labels", path("train.csv"), "--json");
    expect(scored.code, scored.output).toBe(0);
    expect(JSON.parse(scored.output)).toMatchObject({ rows: 12, logLoss: expect.closeTo(logLoss, 10) });

    const uniform = ["r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11"].map((id) => `${id},0.2,0.3,0.5`);
    await writeFile(path("other.csv"), `${HEADER}\n${uniform.reverse().join("\n")}\n`);
    const combined = await run("ensemble", "--preds", path("judge-train.csv"), path("other.csv"), "--strategy", "mean", "--out", path("mean.csv"));
    expect(combined.code, combined.output).toBe(0);
    const rows = await readRows(path("mean.csv"));
    expected.forEach((p, i) => {
      expect(rows.get(`r${i}`)).toEqual([(p[0]! + 0.2) / 2, (p[1]! + 0.3) / 2, (p[2]! + 0.5) / 2].map((x) => expect.closeTo(x, 12)));
    });
  });
});
