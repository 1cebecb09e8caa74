import { JudgeHttpError, JudgeOptionsError, JudgeTransportError } from "./errors.js";
import type { TokenLogprobs, TopLogprob } from "./parse-verdict.js";
import type { ChatMessage } from "./prompt-template.js";
import { parseRetryAfter } from "./retry.js";

/** Where and how to ask: any server that speaks OpenAI's `POST /chat/completions` (vLLM, llama.cpp, Ollama…). */
export interface ChatClientOptions {
  /** API root, e.g. `https://api.openai.com/v1` or `http://127.0.0.1:8000/v1`; `/chat/completions` is appended. */
  readonly baseUrl: string;
  /** Model name sent with every request. */
  readonly model: string;
  /** Bearer token; never logged, never cached, redacted from error messages. Defaults to `undefined` (no header). */
  readonly apiKey?: string;
  /** Abort one request after this long. Defaults to `60000` ms. */
  readonly timeoutMs?: number;
  /** Completion length limit; the verdict is one word. Defaults to `16`. */
  readonly maxTokens?: number;
  /** Ask for the top log-probabilities of each generated token. Defaults to `true`. */
  readonly logprobs?: boolean;
  /** How many alternatives per position (OpenAI allows up to 20). Defaults to `10`. */
  readonly topLogprobs?: number;
  /** The fetch implementation. Defaults to the global `fetch`. */
  readonly fetch?: typeof fetch;
}

/** Token counts the server reported for one completion (0 when it reported none). */
export interface ChatUsage {
  /** Prompt tokens. */
  readonly promptTokens: number;
  /** Completion tokens. */
  readonly completionTokens: number;
}

/** One completion. */
export interface ChatAnswer {
  /** The reply text. */
  readonly content: string;
  /** Per-token log-probabilities, or `undefined` when the server returned none. */
  readonly logprobs: readonly TokenLogprobs[] | undefined;
  /** Token counts. */
  readonly usage: ChatUsage;
}

/** The request fields that decide an answer, besides the messages; part of every cache key. */
export interface ChatRequestSettings {
  /** Normalised endpoint URL. */
  readonly url: string;
  /** Model name. */
  readonly model: string;
  /** Fixed at 0 so that an answer is reproducible and worth caching. */
  readonly temperature: 0;
  /** Completion length limit. */
  readonly maxTokens: number;
  /** Top log-probabilities asked for (0 = none). */
  readonly topLogprobs: number;
}

/** A chat-completions client with streaming off. */
export interface ChatClient {
  /** What this client sends besides the messages. */
  readonly settings: ChatRequestSettings;
  /** One request, no retries; throws {@link JudgeHttpError} or {@link JudgeTransportError}. */
  complete(messages: readonly ChatMessage[], signal?: AbortSignal): Promise<ChatAnswer>;
}

const RETRYABLE_STATUS = new Set([408, 409, 425, 429]);

/** A client over plain `fetch`. */
export function createChatClient(options: ChatClientOptions): ChatClient {
  let url: URL;
  try {
    url = new URL(`${options.baseUrl.replace(/\/+$/, "")}/chat/completions`);
  } catch {
    throw new JudgeOptionsError("baseUrl", `${JSON.stringify(options.baseUrl)} is not a URL`);
  }
  if (url.username || url.password) {
    throw new JudgeOptionsError("baseUrl", "must not carry credentials; pass the key through apiKey");
  }
  const timeoutMs = positiveInteger("timeoutMs", options.timeoutMs ?? 60_000);
  const maxTokens = positiveInteger("maxTokens", options.maxTokens ?? 16);
  const topLogprobs = options.logprobs === false ? 0 : positiveInteger("topLogprobs", options.topLogprobs ?? 10);
  if (!options.model) throw new JudgeOptionsError("model", "must be a non-empty model name");
  const settings: ChatRequestSettings = {
    url: url.href,
    model: options.model,
    temperature: 0,
    maxTokens,
    topLogprobs,
  };
  const doFetch = options.fetch ?? globalThis.fetch;
  const redact = (text: string) => (options.apiKey ? text.split(options.apiKey).join("[redacted]") : text);

  async function complete(messages: readonly ChatMessage[], signal?: AbortSignal): Promise<ChatAnswer> {
    const body = {
      model: settings.model,
      messages,
      temperature: 0,
      max_tokens: maxTokens,
      stream: false,
      ...(topLogprobs > 0 ? { logprobs: true, top_logprobs: topLogprobs } : {}),
    };
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let text: string;
    let response: Response;
    try {
      response = await doFetch(url, { method: "POST", headers, body: JSON.stringify(body), signal: combined });
      text = await response.text();
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (timeout.aborted) throw new JudgeTransportError(url.href, "timeout", `no answer within ${timeoutMs} ms`);
      throw new JudgeTransportError(url.href, "network", redact(describeCause(error)));
    }
    if (!response.ok) {
      const status = response.status;
      const retryable = RETRYABLE_STATUS.has(status) || status >= 500;
      const retryAfter = parseRetryAfter(response.headers);
      throw new JudgeHttpError(url.href, status, retryable, retryAfter, redact(text.slice(0, 300)));
    }
    return readCompletion(text, url.href, redact);
  }
  return { settings, complete };
}

function positiveInteger(field: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new JudgeOptionsError(field, `must be a positive integer, got ${value}`);
  }
  return value;
}

function describeCause(error: unknown): string {
  const e = error as Error & { cause?: { message?: string; code?: string } };
  const cause = e.cause?.code ?? e.cause?.message;
  return cause ? `${e.message} (${cause})` : String(e.message ?? error);
}

/** Parses a non-streaming chat completion body; a body of any other shape is a retryable "malformed" failure. */
function readCompletion(text: string, url: string, redact: (s: string) => string): ChatAnswer {
  const malformed = (detail: string) =>
    new JudgeTransportError(url, "malformed", `${detail}; body starts ${JSON.stringify(redact(text.slice(0, 120)))}`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw malformed("the body is not JSON");
  }
  const choice = (body as { choices?: unknown[] } | null)?.choices?.[0] as
    | { message?: { content?: unknown }; logprobs?: { content?: unknown } | null }
    | undefined;
  const content = choice?.message?.content;
  if (typeof content !== "string") throw malformed("expected choices[0].message.content to be a string");
  const usage = (body as { usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } }).usage;
  return {
    content,
    logprobs: readLogprobs(choice?.logprobs?.content),
    usage: { promptTokens: count(usage?.prompt_tokens), completionTokens: count(usage?.completion_tokens) },
  };
}

function count(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : 0;
}

function readTop(entry: unknown): TopLogprob | undefined {
  const e = entry as { token?: unknown; logprob?: unknown } | null;
  return typeof e?.token === "string" && typeof e.logprob === "number" ? { token: e.token, logprob: e.logprob } : undefined;
}

/** Keeps the well-formed token entries; a server that sends no (or unusable) log-probabilities yields `undefined`. */
function readLogprobs(content: unknown): TokenLogprobs[] | undefined {
  if (!Array.isArray(content) || content.length === 0) return undefined;
  const tokens: TokenLogprobs[] = [];
  for (const entry of content) {
    const head = readTop(entry);
    if (!head) return undefined;
    const alternatives = (entry as { top_logprobs?: unknown }).top_logprobs;
    const top = Array.isArray(alternatives) ? alternatives.map(readTop).filter((t) => t !== undefined) : [];
    tokens.push({ ...head, topLogprobs: top });
  }
  return tokens;
}
