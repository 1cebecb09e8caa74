/**
 * Anything a loader can read: a whole string or byte array, an async iterable of chunks (a Node `Readable`,
 * an async generator) or a web `ReadableStream`. Bytes are decoded as UTF-8.
 */
export type DataSource =
  | string
  | Uint8Array
  | AsyncIterable<Uint8Array | string>
  | Iterable<Uint8Array | string>
  | ReadableStream<Uint8Array | string>;

/**
 * Decodes a source into UTF-8 text chunks. A byte-order mark is kept so that the parsers can report it.
 * Invalid UTF-8 bytes become U+FFFD (the WHATWG decoder's replacement), as every CSV reader does.
 */
export async function* textChunks(source: DataSource): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  for await (const chunk of rawChunks(source)) {
    if (typeof chunk === "string") {
      yield chunk;
    } else {
      const text = decoder.decode(chunk, { stream: true });
      if (text.length > 0) yield text;
    }
  }
  const rest = decoder.decode();
  if (rest.length > 0) yield rest;
}

async function* rawChunks(source: DataSource): AsyncGenerator<Uint8Array | string> {
  if (typeof source === "string" || source instanceof Uint8Array) {
    yield source;
  } else if (isReadableStream(source)) {
    // Not every browser makes ReadableStream async-iterable yet; a reader works everywhere.
    const reader = source.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield value;
      }
    } finally {
      reader.releaseLock();
    }
  } else {
    yield* source;
  }
}

function isReadableStream(source: DataSource): source is ReadableStream<Uint8Array | string> {
  return typeof (source as ReadableStream).getReader === "function";
}
