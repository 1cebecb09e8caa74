import { judgeCacheKey, MemoryJudgeCache, type CachedJudgeAnswer, type JudgeCacheStore } from "./cache.js";
import type { ChatAnswer, ChatClient } from "./client.js";
import { JudgeOptionsError } from "./errors.js";
import { parseVerdict, verdictPositionLogprobs } from "./parse-verdict.js";
import {
  JUDGE_TEMPLATE_V1,
  renderJudgePrompt,
  type ChatMessage,
  type JudgeOrder,
  type JudgePair,
  type JudgeTemplate,
  validateJudgeTemplate,
} from "./prompt-template.js";
import { withRetry, type RetryOptions } from "./retry.js";

/** How {@link collectJudgeAnswers} asks. */
export interface JudgeRunOptions {
  /** The endpoint. */
  readonly client: ChatClient;
  /** Where answers are kept between runs. Defaults to a new in-memory cache. */
  readonly cache?: JudgeCacheStore;
  /** The prompt. Defaults to `JUDGE_TEMPLATE_V1`. */
  readonly template?: JudgeTemplate;
  /** Also ask with A and B swapped, to cancel position bias. Defaults to `false`. */
  readonly bothOrders?: boolean;
  /** Requests in flight at once. Defaults to `8`. */
  readonly concurrency?: number;
  /** Retries on 429, 5xx, timeouts, dropped connections and malformed bodies. Defaults to `{}` (5 retries). */
  readonly retry?: RetryOptions;
  /** Each user turn and reply is cut to this many characters (counted in the report). Defaults to `8000`. */
  readonly maxMessageChars?: number;
  /** Stops the run: pending pairs are not asked, requests in flight are aborted, finished answers stay cached. Defaults to `undefined`. */
  readonly signal?: AbortSignal;
  /** Called after each pair-order is answered. Defaults to `undefined`. */
  readonly onProgress?: (progress: JudgeProgress) => void;
}

/** Running totals of a judge run. */
export interface JudgeProgress {
  /** Pair-orders answered so far (from the cache or the endpoint). */
  readonly done: number;
  /** Pair-orders to answer: rows × orders. */
  readonly total: number;
  /** Answers found in the cache. */
  readonly fromCache: number;
  /** HTTP requests sent, retries and reminders included. */
  readonly requests: number;
  /** Of those, retries after a 429, 5xx, timeout, dropped connection or malformed body. */
  readonly retries: number;
  /** Prompt tokens the endpoint reported for this run's successful requests. */
  readonly promptTokens: number;
  /** Completion tokens the endpoint reported for this run's successful requests. */
  readonly completionTokens: number;
  /** Answers with no readable verdict even after the reminder. */
  readonly unreadable: number;
}

/** A reply that held no verdict even after the reminder; the row is predicted with the calibrated prior. */
export interface UnreadableAnswer {
  /** Row id. */
  readonly id: string;
  /** Order it was asked in. */
  readonly order: JudgeOrder;
  /** The last reply. */
  readonly reply: string;
}

/** Everything a run did, for the report. */
export interface JudgeRunReport extends JudgeProgress {
  /** Rows judged. */
  readonly rows: number;
  /** Orders asked per row. */
  readonly orders: readonly JudgeOrder[];
  /** Template version. */
  readonly templateVersion: string;
  /** Answers that needed the stricter reminder (read from the cache or not). */
  readonly reminders: number;
  /** Turns cut to `maxMessageChars`, summed over the prompts built (a turn cut in both orders counts twice). */
  readonly truncatedMessages: number;
  /** Every unreadable answer, with its row id. */
  readonly unreadableAnswers: readonly UnreadableAnswer[];
}

/** The answers for one row: `ba` only when both orders were asked. */
export interface JudgeRowAnswers {
  /** Row id. */
  readonly id: string;
  /** Answer with the pair shown as in the data. */
  readonly ab: CachedJudgeAnswer;
  /** Answer with A and B swapped (its verdict not yet mapped back). */
  readonly ba?: CachedJudgeAnswer;
}

/** The answers, row-aligned with the input, and the run report. */
export interface JudgeCollection {
  /** One entry per input pair, same order. */
  readonly answers: readonly JudgeRowAnswers[];
  /** What the run did. */
  readonly report: JudgeRunReport;
}

/**
 * Asks the judge about every pair (in one or both orders) through the cache: a cached answer costs no request,
 * a new one is stored as soon as it arrives, so an interrupted run resumes where it stopped. A reply with no
 * verdict is asked once more with the template's reminder; if that fails too the answer is stored as unreadable.
 * Identical requests within a run are sent once. A failure that retries cannot fix stops the run and is thrown.
 */
export async function collectJudgeAnswers(
  pairs: readonly JudgePair[],
  options: JudgeRunOptions,
): Promise<JudgeCollection> {
  const concurrency = options.concurrency ?? 8;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new JudgeOptionsError("concurrency", `must be a positive integer, got ${concurrency}`);
  }
  const maxMessageChars = options.maxMessageChars ?? 8000;
  if (!Number.isInteger(maxMessageChars) || maxMessageChars < 1) {
    throw new JudgeOptionsError("maxMessageChars", `must be a positive integer, got ${maxMessageChars}`);
  }
  const template = validateJudgeTemplate(options.template ?? JUDGE_TEMPLATE_V1, "options.template");
  const cache = options.cache ?? new MemoryJudgeCache();
  const orders: JudgeOrder[] = options.bothOrders ? ["ab", "ba"] : ["ab"];
  const { client } = options;

  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const totals = { done: 0, fromCache: 0, requests: 0, retries: 0, promptTokens: 0, completionTokens: 0, unreadable: 0 };
  let reminders = 0;
  let truncatedMessages = 0;
  const results: (CachedJudgeAnswer | undefined)[] = new Array(pairs.length * orders.length);
  const inFlight = new Map<string, Promise<CachedJudgeAnswer>>();

  const send = (messages: readonly ChatMessage[]): Promise<ChatAnswer> =>
    withRetry(
      () => {
        totals.requests += 1;
        return client.complete(messages, signal);
      },
      options.retry,
      signal,
      () => (totals.retries += 1),
    );

  const ask = async (messages: readonly ChatMessage[]): Promise<CachedJudgeAnswer> => {
    const first = await send(messages);
    totals.promptTokens += first.usage.promptTokens;
    totals.completionTokens += first.usage.completionTokens;
    let answer = first;
    let verdict = parseVerdict(first.content);
    if (!verdict) {
      answer = await send([
        ...messages,
        { role: "assistant", content: first.content },
        { role: "user", content: template.reminder },
      ]);
      totals.promptTokens += answer.usage.promptTokens;
      totals.completionTokens += answer.usage.completionTokens;
      verdict = parseVerdict(answer.content);
    }
    const top = verdict && answer.logprobs ? verdictPositionLogprobs(answer.logprobs, verdict) : undefined;
    return {
      verdict: verdict ?? null,
      reply: answer.content,
      topLogprobs: top ? [...top] : null,
      requests: answer === first ? 1 : 2,
      promptTokens: first.usage.promptTokens + (answer === first ? 0 : answer.usage.promptTokens),
      completionTokens: first.usage.completionTokens + (answer === first ? 0 : answer.usage.completionTokens),
    };
  };

  const judgeOne = async (task: number): Promise<void> => {
    const pair = pairs[Math.floor(task / orders.length)]!;
    const order = orders[task % orders.length]!;
    const prompt = renderJudgePrompt(template, pair, order, maxMessageChars);
    truncatedMessages += prompt.truncated;
    const key = await judgeCacheKey(client.settings, template.version, prompt.messages);
    let answer = await cache.get(key);
    if (answer) {
      totals.fromCache += 1;
    } else {
      let pending = inFlight.get(key);
      if (!pending) {
        pending = ask(prompt.messages).then(async (fresh) => {
          await cache.set(key, fresh);
          return fresh;
        });
        inFlight.set(key, pending);
      }
      answer = await pending;
    }
    results[task] = answer;
    if (answer.requests > 1) reminders += 1;
    if (answer.verdict === null) totals.unreadable += 1;
    totals.done += 1;
    options.onProgress?.({ ...totals, total: results.length });
  };

  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (!signal.aborted && next < results.length) {
      const task = next++;
      try {
        await judgeOne(task);
      } catch (error) {
        failure ??= { error };
        stop.abort(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, results.length) }, worker));
  if (failure) throw failure.error;
  if (options.signal?.aborted) throw options.signal.reason;

  const answers = pairs.map((pair, i) => ({
    id: pair.id,
    ab: results[i * orders.length]!,
    ...(orders.length === 2 ? { ba: results[i * 2 + 1]! } : {}),
  }));
  const unreadableAnswers: UnreadableAnswer[] = [];
  results.forEach((answer, task) => {
    if (answer!.verdict === null) {
      const id = pairs[Math.floor(task / orders.length)]!.id;
      unreadableAnswers.push({ id, order: orders[task % orders.length]!, reply: answer!.reply });
    }
  });
  return {
    answers,
    report: {
      ...totals,
      total: results.length,
      rows: pairs.length,
      orders,
      templateVersion: template.version,
      reminders,
      truncatedMessages,
      unreadableAnswers,
    },
  };
}
