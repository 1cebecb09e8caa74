import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

/** A chat-completions request as the fake server received it. */
export interface ReceivedRequest {
  /** Parsed JSON body. */
  readonly body: {
    model: string;
    messages: { role: string; content: string }[];
    logprobs?: boolean;
    top_logprobs?: number;
    max_tokens?: number;
    stream?: boolean;
  };
  /** Request headers. */
  readonly headers: IncomingHttpHeaders;
}

/** What the fake server sends back. */
export interface FakeReply {
  /** HTTP status. Defaults to `200`. */
  readonly status?: number;
  /** Extra headers. Defaults to `{}`. */
  readonly headers?: Record<string, string>;
  /** Body: a string is sent verbatim (to send malformed JSON), anything else as JSON. */
  readonly body: unknown;
  /** Wait this long before answering (to run past a client timeout). Defaults to `0`. */
  readonly delayMs?: number;
}

/** A loopback HTTP server speaking just enough of `POST /v1/chat/completions` for the judge tests. */
export interface FakeChatServer {
  /** Base URL, e.g. `http://127.0.0.1:PORT/v1`. */
  readonly baseUrl: string;
  /** Every request received, in arrival order. */
  readonly requests: ReceivedRequest[];
  /** Stops the server and drops open connections. */
  close(): Promise<void>;
}

/** A successful completion body with `content` and, when given, per-token top log-probabilities. */
export function completionBody(
  content: string,
  tokens?: { token: string; logprob: number; top: { token: string; logprob: number }[] }[],
): unknown {
  return {
    id: "chatcmpl-fake",
    object: "chat.completion",
    choices: [
      {
        index: 0,
        message: { role: "assistant", content },
        finish_reason: "stop",
        logprobs: tokens
          ? { content: tokens.map((t) => ({ token: t.token, logprob: t.logprob, top_logprobs: t.top })) }
          : null,
      },
    ],
    usage: { prompt_tokens: 100, completion_tokens: 1, total_tokens: 101 },
  };
}

/** Starts the server on 127.0.0.1 and an ephemeral port; `handler` decides every reply. */
export async function startFakeChatServer(
  handler: (request: ReceivedRequest) => FakeReply | Promise<FakeReply>,
): Promise<FakeChatServer> {
  const requests: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", async () => {
      if (req.method !== "POST" || req.url !== "/v1/chat/completions") {
        res.writeHead(404).end("not found");
        return;
      }
      const request: ReceivedRequest = { body: JSON.parse(Buffer.concat(chunks).toString("utf8")), headers: req.headers };
      requests.push(request);
      const reply = await handler(request);
      const send = () => {
        if (res.destroyed) return;
        const text = typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body);
        res.writeHead(reply.status ?? 200, { "content-type": "application/json", ...reply.headers }).end(text);
      };
      if (!reply.delayMs) return send();
      const timer = setTimeout(send, reply.delayMs);
      res.on("close", () => clearTimeout(timer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
