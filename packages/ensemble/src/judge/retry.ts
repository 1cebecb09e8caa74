/** How failed requests are retried. */
export interface RetryOptions {
  /** Retries after the first try (so at most `retries + 1` requests). Defaults to `5`. */
  readonly retries?: number;
  /** The first backoff; each retry doubles it. Defaults to `500` ms. */
  readonly baseDelayMs?: number;
  /** Largest backoff between two tries (a server's own `Retry-After` may ask for more). Defaults to `30000` ms. */
  readonly maxDelayMs?: number;
  /** Uniform [0, 1) source for the jitter. Defaults to `Math.random`. */
  readonly random?: () => number;
  /** Waits `ms`, rejecting when `signal` aborts. Defaults to a timer. */
  readonly sleep?: (ms: number, signal: AbortSignal | undefined) => Promise<void>;
}

/** What a failure must tell the retry loop. */
interface RetryableError {
  readonly retryable?: boolean;
  readonly retryAfterMs?: number;
}

/** Called before each retry with the failure and the wait chosen. */
export type RetryListener = (error: Error, attempt: number, delayMs: number) => void;

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function abortableSleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * The wait before retry number `attempt` (0-based): the server's own wait when it gave one, else "equal jitter"
 * exponential backoff — half of `min(max, base·2^attempt)` fixed plus up to the other half at random, so many
 * clients throttled together spread out but never retry at once.
 */
export function backoffDelayMs(attempt: number, retryAfterMs: number | undefined, options: RetryOptions = {}): number {
  if (retryAfterMs !== undefined) return retryAfterMs;
  const cap = Math.min(options.maxDelayMs ?? 30_000, (options.baseDelayMs ?? 500) * 2 ** attempt);
  return cap / 2 + (options.random ?? Math.random)() * (cap / 2);
}

/**
 * Runs `task` until it succeeds, a failure is not retryable (`error.retryable !== true`), the retries are spent
 * (the last failure is thrown) or `signal` aborts (its reason is thrown, also in the middle of a wait).
 */
export async function withRetry<T>(
  task: () => Promise<T>,
  options: RetryOptions = {},
  signal?: AbortSignal,
  onRetry?: RetryListener,
): Promise<T> {
  const retries = options.retries ?? 5;
  const sleep = options.sleep ?? abortableSleep;
  for (let attempt = 0; ; attempt++) {
    try {
      return await task();
    } catch (error) {
      const failure = error as Error & RetryableError;
      if (signal?.aborted) throw signal.reason;
      if (failure.retryable !== true || attempt >= retries) throw error;
      const delay = backoffDelayMs(attempt, failure.retryAfterMs, options);
      onRetry?.(failure, attempt + 1, delay);
      await sleep(delay, signal);
    }
  }
}

/**
 * The wait a 429/503 answer asks for, in ms: OpenAI's `retry-after-ms`, else `Retry-After` as (possibly
 * fractional) seconds or an HTTP date. `undefined` when absent or unreadable.
 */
export function parseRetryAfter(headers: Headers, now: number = Date.now()): number | undefined {
  const ms = Number(headers.get("retry-after-ms") ?? Number.NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers.get("retry-after");
  if (value === null || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
