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

/** Decoding observations for the problems report. */
export interface DecodeStats {
  /** Invalid UTF-8 sequences, each decoded as U+FFFD. */
  invalidUtf8: number;
}

const REPLACEMENT = "\uFFFD";
const REPLACEMENT_BYTES = [0xef, 0xbf, 0xbd];

/**
 * Decodes a source into UTF-8 text chunks. A byte-order mark is kept so that the parsers can report it.
 * Invalid UTF-8 becomes U+FFFD (the WHATWG decoder's repair) and is counted in `stats`: U+FFFD characters in
 * the text minus the U+FFFD characters the bytes really spelled.
 */
export async function* textChunks(source: DataSource, stats?: DecodeStats): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  const encoded = { count: 0, tail: new Uint8Array(0) };
  let decoded = 0;
  const emit = (text: string) => {
    for (let i = text.indexOf(REPLACEMENT); i !== -1; i = text.indexOf(REPLACEMENT, i + 1)) decoded += 1;
    return text;
  };
  for await (const chunk of rawChunks(source)) {
    if (typeof chunk === "string") {
      yield chunk;
    } else {
      countReplacementBytes(chunk, encoded);
      const text = decoder.decode(chunk, { stream: true });
      if (text.length > 0) yield emit(text);
    }
  }
  const rest = decoder.decode();
  if (rest.length > 0) yield emit(rest);
  if (stats) stats.invalidUtf8 = decoded - encoded.count;
}

/** Counts EF BF BD sequences, including ones split across chunks (`state.tail`: the last two bytes seen). */
function countReplacementBytes(chunk: Uint8Array, state: { count: number; tail: Uint8Array }): void {
  const edge = new Uint8Array(state.tail.length + Math.min(chunk.length, 2));
  edge.set(state.tail);
  edge.set(chunk.subarray(0, 2), state.tail.length);
  for (let i = 0; i < state.tail.length; i++) if (matchesAt(edge, i)) state.count += 1;
  for (let i = chunk.indexOf(REPLACEMENT_BYTES[0]); i !== -1; i = chunk.indexOf(REPLACEMENT_BYTES[0], i + 1)) {
    if (matchesAt(chunk, i)) state.count += 1;
  }
  state.tail = chunk.length >= 2 ? chunk.slice(-2) : edge.slice(-2);
}

function matchesAt(bytes: Uint8Array, i: number): boolean {
  return bytes[i] === REPLACEMENT_BYTES[0] && bytes[i + 1] === REPLACEMENT_BYTES[1] && bytes[i + 2] === REPLACEMENT_BYTES[2];
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
