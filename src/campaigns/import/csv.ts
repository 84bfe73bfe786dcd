/**
 * A streaming CSV reader for back-office exports: `;` or `,` (detected from the header
 * line), quoted fields with embedded separators, quotes and newlines, and any mix of
 * CRLF, LF and CR line endings. Each record comes with the physical line it starts on,
 * so errors point at the line the operator sees in an editor.
 *
 * Hand-written rather than csv-parse: most lines carry no quote at all, and splitting
 * those directly is ~10× faster (7.7 µs → <1 µs a row), which the 100,000 rows/s import
 * target needs. Quoted lines take the careful path.
 */

export type Delimiter = ';' | ',';

export interface CsvSink {
  /** fields: the record's fields; line: 1-based physical line it starts on; raw: its text. */
  record(fields: string[], line: number, raw: string): void;
  /** A record that cannot be read (an unclosed quote at the end of the file). */
  broken(line: number, reason: string, raw: string): void;
}

export class DelimiterError extends Error {}

const QUOTE = 34;
const CR = 13;
const LF = 10;

export class CsvReader {
  private buf = '';
  private line = 1;
  delimiter: Delimiter | undefined;

  constructor(private readonly sink: CsvSink, delimiter?: Delimiter) {
    this.delimiter = delimiter;
  }

  push(chunk: string): void {
    this.buf = this.buf.length ? this.buf + chunk : chunk;
    this.drain(false);
  }

  end(): void {
    this.drain(true);
  }

  private drain(final: boolean): void {
    const buf = this.buf;
    if (this.delimiter === undefined) {
      const firstBreak = buf.search(/[\r\n]/);
      if (firstBreak < 0 && !final) return;
      this.delimiter = detectDelimiter(firstBreak < 0 ? buf : buf.slice(0, firstBreak));
    }
    const delim = this.delimiter;
    const len = buf.length;
    let pos = 0;
    // Next quote / CR at or after pos (len when none): searched again only once passed,
    // so a chunk without quotes is not rescanned for every line.
    let q = -1;
    let cr = -1;
    while (pos < len) {
      let nl = buf.indexOf('\n', pos);
      if (q < pos) q = indexOr(buf, '"', pos, len);
      if (q === len || (nl !== -1 && q > nl)) {
        // Fast path: no quote in this line.
        if (nl === -1) {
          if (!final) break;
          nl = len;
        }
        let end = nl;
        let next = nl + 1;
        if (cr < pos) cr = indexOr(buf, '\r', pos, len);
        if (cr < nl) {
          end = cr;
          // A lone CR (old Mac line ending) ends the record there; CRLF is one break.
          if (cr + 1 !== nl) next = cr + 1;
        }
        const raw = buf.slice(pos, end);
        if (raw.length > 0) this.sink.record(raw.split(delim), this.line, raw);
        this.line++;
        pos = next;
        continue;
      }
      const r = this.quoted(buf, pos, final, delim);
      if (r === undefined) break;
      pos = r;
    }
    this.buf = pos >= len ? '' : buf.slice(pos);
  }

  /** Reads one record that contains a quote; returns the position after it, or undefined when more input is needed. */
  private quoted(buf: string, start: number, final: boolean, delim: string): number | undefined {
    const len = buf.length;
    const fields: string[] = [];
    const startLine = this.line;
    let breaks = 0;
    let i = start;
    for (;;) {
      // At the start of a field.
      let field = '';
      if (buf.charCodeAt(i) === QUOTE) {
        let j = i + 1;
        for (;;) {
          const k = buf.indexOf('"', j);
          if (k === -1 || (k === len - 1 && !final)) {
            if (!final) return undefined;
            const raw = buf.slice(start);
            this.sink.broken(startLine, 'unclosed quote: the line is cut off or a quote is missing', raw);
            this.line += 1 + countBreaks(raw);
            return len;
          }
          const part = buf.slice(j, k);
          breaks += countBreaks(part);
          field += part;
          if (buf.charCodeAt(k + 1) === QUOTE) {
            field += '"';
            j = k + 2;
          } else {
            i = k + 1;
            break;
          }
        }
      }
      // Unquoted text (or text after a closing quote, kept as written).
      let j = i;
      while (j < len) {
        const c = buf.charCodeAt(j);
        if (c === CR || c === LF || buf[j] === delim) break;
        j++;
      }
      field += buf.slice(i, j);
      fields.push(field);
      if (j >= len) {
        if (!final) return undefined;
        this.emit(fields, startLine, buf.slice(start, j), breaks);
        return len;
      }
      if (buf[j] === delim) {
        i = j + 1;
        continue;
      }
      // Line break ends the record; need to see past a CR to know whether an LF follows.
      if (buf.charCodeAt(j) === CR && j + 1 >= len && !final) return undefined;
      const next = buf.charCodeAt(j) === CR && buf.charCodeAt(j + 1) === LF ? j + 2 : j + 1;
      this.emit(fields, startLine, buf.slice(start, j), breaks);
      return next;
    }
  }

  private emit(fields: string[], line: number, raw: string, breaks: number): void {
    this.sink.record(fields, line, raw);
    this.line += 1 + breaks;
  }
}

function indexOr(s: string, ch: string, from: number, none: number): number {
  const i = s.indexOf(ch, from);
  return i === -1 ? none : i;
}

function countBreaks(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === LF || (c === CR && s.charCodeAt(i + 1) !== LF)) n++;
  }
  return n;
}

/** `;` or `,`, whichever the header line (outside quotes) uses more. */
export function detectDelimiter(headerLine: string): Delimiter {
  const counts: Record<string, number> = { ';': 0, ',': 0, '\t': 0, '|': 0 };
  let inQuotes = false;
  for (const ch of headerLine) {
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && ch in counts) counts[ch]!++;
  }
  if (counts[';']! === 0 && counts[',']! === 0) {
    if (counts['\t']! > 0) throw new DelimiterError('the header is separated by tabs; use ; or , as the separator');
    if (counts['|']! > 0) throw new DelimiterError("the header is separated by '|'; use ; or , as the separator");
    return ';';
  }
  return counts[';']! >= counts[',']! ? ';' : ',';
}
