/**
 * A streaming RFC 4180 reader built on `String.indexOf`, which V8 runs as a vectorised scan: fields of Kaggle
 * arena files are kilobytes of quoted JSON, so finding the closing quote dominates the cost. (csv-parse 7 walks
 * bytes one at a time and measured 2.4× slower than Python's C `csv` on the 57k-row file; see bench/.)
 */

/** A parsed record, a blank line, or a syntax error the reader recovered from (or ended on). */
export type CsvItem =
  | { kind: "record"; fields: string[]; line: number }
  | { kind: "blank"; line: number }
  | { kind: "malformed"; line: number; expected: string; found: string; fatal: boolean };

/** Whole-input observations the loaders put in their problems report. */
export interface CsvStats {
  /** The input began with U+FEFF. */
  bom: boolean;
  /** Record-ending CRLFs. */
  crlfLines: number;
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;
const NEED_MORE = null;

type Step = CsvItem | typeof NEED_MORE | "end";

/** Reads CSV records from text chunks; `stats` is complete once the iteration ends. */
export async function* readCsv(chunks: AsyncIterable<string>, stats: CsvStats): AsyncGenerator<CsvItem> {
  const scanner = new CsvScanner(stats);
  // After running short inside a record, wait until the buffer doubles: a record spanning many chunks is then
  // rescanned O(log n) times, not once per chunk.
  let wanted = 0;
  for await (const chunk of chunks) {
    scanner.push(chunk);
    if (scanner.buffered < wanted) continue;
    for (;;) {
      const step = scanner.next(false);
      if (step === NEED_MORE) break;
      if (step === "end") return;
      yield step;
    }
    wanted = scanner.buffered * 2;
  }
  for (;;) {
    const step = scanner.next(true);
    if (step === "end" || step === NEED_MORE) return;
    yield step;
    if (step.kind === "malformed" && step.fatal) return;
  }
}

class CsvScanner {
  private buf = "";
  private pos = 0;
  private line = 1;
  private started = false;
  private failed = false;

  constructor(private readonly stats: CsvStats) {}

  get buffered(): number {
    return this.buf.length - this.pos;
  }

  push(chunk: string): void {
    if (!this.started && chunk.length > 0) {
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff) {
        this.stats.bom = true;
        chunk = chunk.slice(1);
      }
    }
    this.buf = this.pos > 0 ? this.buf.slice(this.pos) + chunk : this.buf + chunk;
    this.pos = 0;
  }

  /** The next item, `NEED_MORE` when the buffer ends inside a record (and `final` is false), or `"end"`. */
  next(final: boolean): Step {
    const buf = this.buf;
    const len = buf.length;
    let p = this.pos;
    if (this.failed || p >= len) return final || this.failed ? "end" : NEED_MORE;
    const line = this.line;

    const c0 = buf.charCodeAt(p);
    if (c0 === LF || (c0 === CR && buf.charCodeAt(p + 1) === LF)) {
      this.pos = p + (c0 === LF ? 1 : 2);
      this.line += 1;
      return { kind: "blank", line };
    }
    if (c0 === CR && p + 1 >= len && !final) return NEED_MORE;

    const fields: string[] = [];
    let newlines = 0;
    for (;;) {
      if (p < len && buf.charCodeAt(p) === QUOTE) {
        let q = p + 1;
        let escaped = false;
        let close = -1;
        for (;;) {
          const j = buf.indexOf('"', q);
          if (j === -1 || (j + 1 >= len && !final)) break;
          if (buf.charCodeAt(j + 1) === QUOTE) {
            escaped = true;
            q = j + 2;
            continue;
          }
          close = j;
          break;
        }
        if (close === -1) {
          if (!final) return NEED_MORE;
          this.failed = true;
          return {
            kind: "malformed",
            line,
            expected: `a closing quote for the field opened on line ${line + newlines}`,
            found: "end of input",
            fatal: true,
          };
        }
        const raw = buf.slice(p + 1, close);
        newlines += countNewlines(raw);
        fields.push(escaped ? raw.replaceAll('""', '"') : raw);
        p = close + 1;
        if (p >= len) {
          if (!final) return NEED_MORE;
          break;
        }
        const c = buf.charCodeAt(p);
        if (c === COMMA) {
          p += 1;
          continue;
        }
        if (c === LF) {
          p += 1;
          break;
        }
        if (c === CR && p + 1 >= len && !final) return NEED_MORE;
        if (c === CR && buf.charCodeAt(p + 1) === LF) {
          this.stats.crlfLines += 1;
          p += 2;
          break;
        }
        return this.recover(line, newlines, p, final, `a comma or line end after the closing quote`);
      }

      const comma = buf.indexOf(",", p);
      const lf = buf.indexOf("\n", p);
      if (comma !== -1 && (lf === -1 || comma < lf)) {
        fields.push(buf.slice(p, comma));
        p = comma + 1;
        continue;
      }
      if (lf === -1) {
        if (!final) return NEED_MORE;
        fields.push(buf.slice(p));
        p = len;
        break;
      }
      let end = lf;
      if (end > p && buf.charCodeAt(end - 1) === CR) {
        end -= 1;
        this.stats.crlfLines += 1;
      }
      fields.push(buf.slice(p, end));
      p = lf + 1;
      break;
    }
    this.pos = p;
    this.line += 1 + newlines;
    return { kind: "record", fields, line };
  }

  /** Reports junk after a closing quote and resumes at the next line break. */
  private recover(line: number, newlines: number, at: number, final: boolean, expected: string): Step {
    const lf = this.buf.indexOf("\n", at);
    if (lf === -1 && !final) return NEED_MORE;
    const found = JSON.stringify(this.buf.slice(at, Math.min(at + 20, lf === -1 ? this.buf.length : lf)));
    this.pos = lf === -1 ? this.buf.length : lf + 1;
    this.line += 1 + newlines;
    return { kind: "malformed", line, expected, found, fatal: false };
  }
}

function countNewlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) n += 1;
  return n;
}
