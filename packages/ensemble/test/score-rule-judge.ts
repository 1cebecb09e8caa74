import type { JudgePair } from "../src/judge/prompt-template.js";
import { completionBody, type FakeReply, type ReceivedRequest } from "./fake-chat-server.js";

/**
 * A judge that answers by a known rule, so tests can predict every probability exactly. Each reply text holds
 * `score=<x>`; with scores s₁ (conversation shown first) and s₂, the judge's belief is
 * `[1.5·s₁, s₂, 0.5] / (1.5·s₁ + s₂ + 0.5)` — a position bias of 1.5 in favour of whatever is shown first —
 * and it answers the most likely word, listing all three as top log-probabilities.
 */
export function ruleBelief(first: number, second: number): [number, number, number] {
  const z = 1.5 * first + second + 0.5;
  return [(1.5 * first) / z, second / z, 0.5 / z];
}

/** The exact `[A, B, tie]` the judge member must predict for scores (sA, sB), in one or both orders. */
export function expectedRow(sA: number, sB: number, bothOrders: boolean): number[] {
  const ab = ruleBelief(sA, sB);
  if (!bothOrders) return ab;
  const [b, a, t] = ruleBelief(sB, sA); // shown swapped: its "A" is the original B
  return [(ab[0] + a) / 2, (ab[1] + b) / 2, (ab[2] + t) / 2];
}

/** `n` pairs `q<i>` whose replies carry known scores. */
export function scoredPairs(n: number): { pairs: JudgePair[]; scores: [number, number][] } {
  const scores: [number, number][] = [];
  const pairs: JudgePair[] = [];
  for (let i = 0; i < n; i++) {
    const sA = 1 + ((i * 7) % 5);
    const sB = 1.1 + ((i * 3) % 4); // never equal to sA, so the two orders never ask the same question
    scores.push([sA, sB]);
    pairs.push({
      id: `q${i}`,
      prompt: [`question ${i}: which answer is better?`],
      responseA: [`reply with score=${sA}`],
      responseB: [`reply with score=${sB}`],
    });
  }
  return { pairs, scores };
}

const WORDS = ["A", "B", "tie"] as const;

/** The question number and the two shown scores of a judge request (V1 template layout). */
export function readJudgeRequest(request: ReceivedRequest): { row: number; first: number; second: number; reminded: boolean } {
  const user = request.body.messages.find((m) => m.role === "user")!.content;
  const score = (tag: string) => Number(new RegExp(`<${tag}>[\\s\\S]*?score=([\\d.]+)[\\s\\S]*?</${tag}>`).exec(user)![1]);
  return {
    row: Number(/question (\d+)/.exec(user)![1]),
    first: score("conversation_a"),
    second: score("conversation_b"),
    reminded: request.body.messages.length > 2,
  };
}

/** The rule's reply to `request`, with log-probabilities when asked for (and `withLogprobs` allows). */
export function ruleReply(request: ReceivedRequest, withLogprobs = true): FakeReply {
  const { first, second } = readJudgeRequest(request);
  const belief = ruleBelief(first, second);
  const best = belief.indexOf(Math.max(...belief));
  const top = WORDS.map((token, k) => ({ token, logprob: Math.log(belief[k]!) }));
  const tokens = withLogprobs && request.body.logprobs ? [{ token: WORDS[best]!, logprob: top[best]!.logprob, top }] : undefined;
  return { body: completionBody(WORDS[best]!, tokens) };
}
