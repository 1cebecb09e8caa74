import { afterEach, describe, expect, it } from "vitest";
import { completionBody, startFakeChatServer, type FakeChatServer, type FakeReply } from "../../test/fake-chat-server.js";
import { createChatClient } from "./client.js";
import { JudgeHttpError, JudgeOptionsError, JudgeTransportError } from "./errors.js";

const KEY = "sk-test-CLIENT-9f8e7d";
const messages = [{ role: "user" as const, content: "Which is better?" }];
let server: FakeChatServer | undefined;
afterEach(async () => server?.close());

async function serve(reply: FakeReply) {
  server = await startFakeChatServer(() => reply);
  return server;
}

describe("createChatClient", () => {
  it("sends a non-streaming chat completion with log-probabilities and the bearer key", async () => {
    const s = await serve({ body: completionBody("A", [{ token: "A", logprob: -0.1, top: [{ token: "A", logprob: -0.1 }] }]) });
    const client = createChatClient({ baseUrl: `${s.baseUrl}/`, model: "judge-1", apiKey: KEY, topLogprobs: 3 });
    const answer = await client.complete(messages);
    expect(s.requests).toHaveLength(1);
    const { body, headers } = s.requests[0]!;
    expect(body).toEqual({
      model: "judge-1",
      messages,
      temperature: 0,
      max_tokens: 16,
      stream: false,
      logprobs: true,
      top_logprobs: 3,
    });
    expect(headers.authorization).toBe(`Bearer ${KEY}`);
    expect(answer).toEqual({
      content: "A",
      logprobs: [{ token: "A", logprob: -0.1, topLogprobs: [{ token: "A", logprob: -0.1 }] }],
      usage: { promptTokens: 100, completionTokens: 1 },
    });
    expect(client.settings.url).toBe(`${s.baseUrl}/chat/completions`);
  });

  it("asks for no log-probabilities when told, and reads a server that sends none", async () => {
    const s = await serve({ body: completionBody("tie") });
    const client = createChatClient({ baseUrl: s.baseUrl, model: "m", logprobs: false });
    const answer = await client.complete(messages);
    expect(s.requests[0]!.body.logprobs).toBeUndefined();
    expect(s.requests[0]!.headers.authorization).toBeUndefined();
    expect(answer.logprobs).toBeUndefined();
    expect(client.settings.topLogprobs).toBe(0);
  });

  it("reports 429 as retryable with the server's wait", async () => {
    const s = await serve({ status: 429, headers: { "retry-after": "3" }, body: { error: { message: "slow down" } } });
    const error = await createChatClient({ baseUrl: s.baseUrl, model: "m" }).complete(messages).catch((e) => e);
    expect(error).toBeInstanceOf(JudgeHttpError);
    expect(error).toMatchObject({ status: 429, retryable: true, retryAfterMs: 3000 });
    expect(error.message).toContain("slow down");
  });

  it("reports 401 as final and redacts an echoed key", async () => {
    const s = await serve({ status: 401, body: { error: { message: `Incorrect API key provided: ${KEY}` } } });
    const error = await createChatClient({ baseUrl: s.baseUrl, model: "m", apiKey: KEY }).complete(messages).catch((e) => e);
    expect(error).toMatchObject({ name: "JudgeHttpError", status: 401, retryable: false });
    expect(error.message).toContain("[redacted]");
    expect(error.message).not.toContain(KEY);
  });

  it("reports 503 as retryable", async () => {
    const s = await serve({ status: 503, body: "upstream down" });
    await expect(createChatClient({ baseUrl: s.baseUrl, model: "m" }).complete(messages)).rejects.toMatchObject({
      status: 503,
      retryable: true,
    });
  });

  it("times out a slow answer", async () => {
    const s = await serve({ body: completionBody("A"), delayMs: 5_000 });
    const error = await createChatClient({ baseUrl: s.baseUrl, model: "m", timeoutMs: 50 }).complete(messages).catch((e) => e);
    expect(error).toBeInstanceOf(JudgeTransportError);
    expect(error).toMatchObject({ kind: "timeout", retryable: true });
  });

  it.each([
    ["{ not json", /the body is not JSON/],
    [JSON.stringify({ choices: [] }), /choices\[0\]\.message\.content/],
  ])("reports the malformed body %j as retryable", async (body, message) => {
    const s = await serve({ body });
    const error = await createChatClient({ baseUrl: s.baseUrl, model: "m" }).complete(messages).catch((e) => e);
    expect(error).toMatchObject({ name: "JudgeTransportError", kind: "malformed", retryable: true });
    expect(error.message).toMatch(message);
  });

  it("reports a refused connection as a retryable network failure", async () => {
    const s = await serve({ body: "" });
    await s.close();
    server = undefined;
    const error = await createChatClient({ baseUrl: s.baseUrl, model: "m" }).complete(messages).catch((e) => e);
    expect(error).toMatchObject({ name: "JudgeTransportError", kind: "network", retryable: true });
  });

  it("rejects unusable options by field", () => {
    expect(() => createChatClient({ baseUrl: "not a url", model: "m" })).toThrow(JudgeOptionsError);
    expect(() => createChatClient({ baseUrl: "http://u:p@h/v1", model: "m" })).toThrow(/must not carry credentials/);
    expect(() => createChatClient({ baseUrl: "http://h/v1", model: "m", timeoutMs: 0 })).toThrow(/timeoutMs: must be a positive integer, got 0/);
    expect(() => createChatClient({ baseUrl: "http://h/v1", model: "" })).toThrow(/model/);
  });
});
