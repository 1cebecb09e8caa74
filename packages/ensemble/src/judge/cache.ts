import type { ChatRequestSettings } from "./client.js";
import type { TopLogprob, Verdict } from "./parse-verdict.js";
import type { ChatMessage } from "./prompt-template.js";

/** What is kept of one judged pair in one order: enough to recompute probabilities without asking again. */
export interface CachedJudgeAnswer {
  /** The verdict in the order it was asked (not mapped back), or `null` when no reply could be read. */
  readonly verdict: Verdict | null;
  /** The last reply text. */
  readonly reply: string;
  /** Top log-probabilities at the verdict position, or `null` when the server gave none. */
  readonly topLogprobs: readonly TopLogprob[] | null;
  /** Chat requests that produced it: 1, or 2 when the reminder was needed. */
  readonly requests: number;
  /** Prompt tokens over those requests. */
  readonly promptTokens: number;
  /** Completion tokens over those requests. */
  readonly completionTokens: number;
}

/** Where answers are kept between runs. Browser-safe: the file-system store lives in the package's Node entry. */
export interface JudgeCacheStore {
  /** The answer stored under `key`, or `undefined`. */
  get(key: string): Promise<CachedJudgeAnswer | undefined>;
  /** Stores `answer` under `key`; a store that persists must write atomically so a killed run leaves no torn entry. */
  set(key: string, answer: CachedJudgeAnswer): Promise<void>;
}

/** A cache that lives as long as the process (the default when no cache directory is given). */
export class MemoryJudgeCache implements JudgeCacheStore {
  private readonly entries = new Map<string, CachedJudgeAnswer>();

  /** Stored entries. */
  get size(): number {
    return this.entries.size;
  }

  /** The answer stored under `key`, or `undefined`. */
  async get(key: string): Promise<CachedJudgeAnswer | undefined> {
    return this.entries.get(key);
  }

  /** Stores `answer` under `key`. */
  async set(key: string, answer: CachedJudgeAnswer): Promise<void> {
    this.entries.set(key, answer);
  }
}

/** Bumped when the meaning of a cached entry changes, so old entries are never misread. */
const CACHE_SCHEMA = "litee-judge-cache-1";

/**
 * The cache key of one request: SHA-256 (WebCrypto, so it also runs in browsers) over the endpoint URL, model,
 * template version and every request field that shapes the answer — the messages carry the row's content and the
 * template's wording. The API key is not part of it: the same question to the same model is the same answer.
 */
export async function judgeCacheKey(
  settings: ChatRequestSettings,
  templateVersion: string,
  messages: readonly ChatMessage[],
): Promise<string> {
  const material = JSON.stringify([
    CACHE_SCHEMA,
    settings.url,
    settings.model,
    templateVersion,
    settings.temperature,
    settings.maxTokens,
    settings.topLogprobs,
    messages.map((m) => [m.role, m.content]),
  ]);
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(material));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Checks that a parsed value is a {@link CachedJudgeAnswer}; `undefined` when it is not. */
export function asCachedJudgeAnswer(value: unknown): CachedJudgeAnswer | undefined {
  const v = value as Partial<Record<keyof CachedJudgeAnswer, unknown>> | null;
  if (typeof v !== "object" || v === null) return undefined;
  const verdictOk = v.verdict === null || v.verdict === "A" || v.verdict === "B" || v.verdict === "tie";
  const topOk =
    v.topLogprobs === null ||
    (Array.isArray(v.topLogprobs) &&
      v.topLogprobs.every((t: unknown) => {
        const e = t as { token?: unknown; logprob?: unknown } | null;
        return typeof e?.token === "string" && typeof e.logprob === "number";
      }));
  const numbersOk = [v.requests, v.promptTokens, v.completionTokens].every(
    (n) => typeof n === "number" && Number.isFinite(n) && n >= 0,
  );
  return verdictOk && topOk && numbersOk && typeof v.reply === "string" ? (v as CachedJudgeAnswer) : undefined;
}
