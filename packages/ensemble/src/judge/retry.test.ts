import { describe, expect, it } from "vitest";
import { backoffDelayMs, parseRetryAfter, withRetry } from "./retry.js";

class Flaky extends Error {
  constructor(
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super("flaky");
  }
}

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");
  it.each([
    [{ "retry-after-ms": "250", "retry-after": "9" }, 250],
    [{ "retry-after": "2" }, 2000],
    [{ "retry-after": "0.5" }, 500],
    [{ "retry-after": "Thu, 01 Jan 2026 00:00:03 GMT" }, 3000],
    [{ "retry-after": "Wed, 31 Dec 2025 23:00:00 GMT" }, 0],
    [{ "retry-after": "soon" }, undefined],
    [{}, undefined],
  ])("reads %j as %s ms", (headers, ms) => {
    expect(parseRetryAfter(new Headers(headers), now)).toBe(ms);
  });
});

describe("backoffDelayMs", () => {
  it("doubles from the base up to the cap, with half of it jittered", () => {
    const options = { baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelayMs(0, undefined, { ...options, random: () => 0 })).toBe(50);
    expect(backoffDelayMs(2, undefined, { ...options, random: () => 0.5 })).toBe(300);
    expect(backoffDelayMs(10, undefined, { ...options, random: () => 0.999999 })).toBeCloseTo(1000, 3);
  });

  it("takes the server's wait as given", () => {
    expect(backoffDelayMs(0, 45_000, { maxDelayMs: 1000 })).toBe(45_000);
  });
});

describe("withRetry", () => {
  const recorder = () => {
    const waits: number[] = [];
    return { waits, sleep: async (ms: number) => void waits.push(ms) };
  };

  it("retries retryable failures until one succeeds, waiting as asked", async () => {
    const { waits, sleep } = recorder();
    const failures = [new Flaky(true, 1234), new Flaky(true)];
    let calls = 0;
    const result = await withRetry(
      async () => {
        calls += 1;
        const failure = failures.shift();
        if (failure) throw failure;
        return "ok";
      },
      { baseDelayMs: 10, random: () => 0, sleep },
    );
    expect(result).toBe("ok");
    expect(calls).toBe(3);
    expect(waits).toEqual([1234, 10]); // server's wait, then base·2¹/2
  });

  it("throws a failure that is not retryable at once", async () => {
    const { waits, sleep } = recorder();
    let calls = 0;
    const attempt = withRetry(async () => {
      calls += 1;
      throw new Flaky(false);
    }, { sleep });
    await expect(attempt).rejects.toThrow("flaky");
    expect(calls).toBe(1);
    expect(waits).toEqual([]);
  });

  it("throws the last failure once the retries are spent", async () => {
    const { waits, sleep } = recorder();
    let calls = 0;
    const attempt = withRetry(async () => {
      calls += 1;
      throw new Flaky(true);
    }, { retries: 3, sleep });
    await expect(attempt).rejects.toBeInstanceOf(Flaky);
    expect(calls).toBe(4);
    expect(waits).toHaveLength(3);
  });

  it("stops when the signal aborts, during a try or during the wait", async () => {
    const during = new AbortController();
    const duringTry = withRetry(async () => {
      during.abort(new Error("stopped in try"));
      throw new Flaky(true);
    }, {}, during.signal);
    await expect(duringTry).rejects.toThrow("stopped in try");
    const waiting = new AbortController();
    const duringWait = withRetry(async () => {
      setTimeout(() => waiting.abort(new Error("stopped in wait")), 5);
      throw new Flaky(true, 60_000);
    }, {}, waiting.signal);
    await expect(duringWait).rejects.toThrow("stopped in wait");
  });
});
