/**
 * Just enough MIME (RFC 2045–2047) to read what comes back over SMTP: the test mail server's
 * received messages and bounce reports (DSN, RFC 3464). Pure: bytes in, a tree of parts out.
 *
 * Covers what mail software actually writes: folded headers, encoded words (B and Q),
 * nested multiparts, base64 / quoted-printable / 7bit / 8bit bodies, charsets TextDecoder
 * knows. Not covered (not needed to read a message's text, headers or a DSN): RFC 2231
 * parameter continuations, uuencode, S/MIME.
 */

export interface MimePart {
  /** Header name in lower case → unfolded values in order (a name may repeat, like Received). */
  readonly headers: ReadonlyMap<string, readonly string[]>;
  /** e.g. 'text/plain', lower case; 'text/plain' when the part has none (RFC 2045 §5.2). */
  readonly type: string;
  readonly params: Readonly<Record<string, string>>;
  /** The body after its transfer encoding is undone. */
  readonly body: Buffer;
  /** Children of a multipart/* part (empty otherwise). */
  readonly parts: readonly MimePart[];
}

/** The first value of a header, encoded words decoded; undefined when the header is absent. */
export function header(part: MimePart, name: string): string | undefined {
  const v = part.headers.get(name.toLowerCase())?.[0];
  return v === undefined ? undefined : decodeWords(v);
}

/** A text part's body as a string, in its declared charset (UTF-8 when none or unknown). */
export function textOf(part: MimePart): string {
  return decodeCharset(part.body, part.params.charset);
}

/** Depth-first: the first part (the root included) whose type is `type`. */
export function findPart(part: MimePart, type: string): MimePart | undefined {
  if (part.type === type) return part;
  for (const child of part.parts) {
    const hit = findPart(child, type);
    if (hit) return hit;
  }
  return undefined;
}

export function parseMime(raw: Buffer | string): MimePart {
  // latin1 maps every byte to one char, so offsets stay byte offsets and 8bit bodies survive.
  const s = typeof raw === 'string' ? Buffer.from(raw, 'utf8').toString('latin1') : raw.toString('latin1');
  return parseEntity(s, 0);
}

const MAX_DEPTH = 20;

function parseEntity(s: string, depth: number): MimePart {
  const { headerText, bodyText } = splitHead(s);
  const headers = parseHeaders(headerText);
  const { type, params } = parseContentType(headers.get('content-type')?.[0]);
  const encoding = (headers.get('content-transfer-encoding')?.[0] ?? '7bit').trim().toLowerCase();
  const parts: MimePart[] = [];
  if (type.startsWith('multipart/') && params.boundary && depth < MAX_DEPTH) {
    for (const chunk of splitMultipart(bodyText, params.boundary)) parts.push(parseEntity(chunk, depth + 1));
  }
  // message/rfc822 and message/delivery-status are read as they are: the caller parses them.
  return { headers, type, params, body: decodeTransfer(bodyText, encoding), parts };
}

function splitHead(s: string): { headerText: string; bodyText: string } {
  const m = /\r?\n\r?\n/.exec(s);
  if (!m) return /^[\x21-\x39\x3b-\x7e]+:/.test(s) ? { headerText: s, bodyText: '' } : { headerText: '', bodyText: s };
  // A body that starts right away (no headers at all) begins with the blank line itself.
  return { headerText: s.slice(0, m.index), bodyText: s.slice(m.index + m[0].length) };
}

/** Unfolds (RFC 5322 §2.2.3) and splits header lines; values are kept raw (latin1 → UTF-8). */
export function parseHeaders(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const unfolded = text.replace(/\r?\n(?=[ \t])/g, '');
  for (const line of unfolded.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = Buffer.from(line.slice(colon + 1).trim(), 'latin1').toString('utf8');
    const list = out.get(name);
    if (list) list.push(value);
    else out.set(name, [value]);
  }
  return out;
}

export function parseContentType(value: string | undefined): { type: string; params: Record<string, string> } {
  if (!value) return { type: 'text/plain', params: {} };
  const [first = '', ...rest] = splitParams(value);
  const params: Record<string, string> = {};
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq <= 0) continue;
    let v = p.slice(eq + 1).trim();
    if (v.startsWith('"') && v.endsWith('"') && v.length >= 2) v = v.slice(1, -1).replace(/\\(.)/g, '$1');
    params[p.slice(0, eq).trim().toLowerCase()] = v;
  }
  return { type: first.trim().toLowerCase() || 'text/plain', params };
}

/** Splits on ';' outside quotes. */
function splitParams(value: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === '\\' && quoted) {
      cur += c + (value[i + 1] ?? '');
      i++;
    } else if (c === '"') {
      quoted = !quoted;
      cur += c;
    } else if (c === ';' && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

function splitMultipart(body: string, boundary: string): string[] {
  const out: string[] = [];
  const delimiter = '--' + boundary;
  const lines = body.split(/\r?\n/);
  let current: string[] | null = null;
  for (const line of lines) {
    const trimmed = line.trimEnd();
    if (trimmed === delimiter + '--') {
      if (current) out.push(current.join('\r\n'));
      return out;
    }
    if (trimmed === delimiter) {
      if (current) out.push(current.join('\r\n'));
      current = [];
    } else if (current) current.push(line);
  }
  // No closing delimiter (a cut-off message): keep what arrived.
  if (current) out.push(current.join('\r\n'));
  return out;
}

function decodeTransfer(text: string, encoding: string): Buffer {
  if (encoding === 'base64') return Buffer.from(text.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(text);
  return Buffer.from(text, 'latin1');
}

function decodeQuotedPrintable(text: string): Buffer {
  const soft = text.replace(/=[ \t]*\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    const c = soft.charCodeAt(i);
    if (c === 0x3d && /^[0-9A-Fa-f]{2}$/.test(soft.slice(i + 1, i + 3))) {
      bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(c & 0xff);
  }
  return Buffer.from(bytes);
}

function decodeCharset(bytes: Buffer, charset: string | undefined): string {
  try {
    return new TextDecoder((charset ?? 'utf-8').trim().toLowerCase()).decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

/** RFC 2047 encoded words; whitespace between two adjacent encoded words is dropped (§6.2). */
export function decodeWords(value: string): string {
  const word = /=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g;
  return value
    .replace(/(=\?[^?\s]+\?[BbQq]\?[^?\s]*\?=)\s+(?==\?[^?\s]+\?[BbQq]\?[^?\s]*\?=)/g, '$1')
    .replace(word, (_all, charset: string, enc: string, data: string) => {
      const bytes = enc.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64')
        : decodeQuotedPrintable(data.replace(/_/g, ' '));
      return decodeCharset(bytes, charset.split('*')[0]);
    });
}
