/**
 * A small streaming XML reader for bank statements: elements, attributes, text, CDATA,
 * comments and the XML declaration — what CAMT.053 files hold — fed in chunks, so a
 * 100 MB statement is never one string.
 *
 * Safe by refusal: a DOCTYPE (or any other `<!…>` declaration) is refused outright, so no
 * external entity can be fetched or read (XXE) and no entity can expand (billion laughs);
 * only the five predefined entities and character references are decoded, any other
 * `&name;` is an error. Tags, text and nesting depth are bounded.
 *
 * Not a general XML parser: no namespaces beyond dropping prefixes (CAMT uses one default
 * namespace), no validation. A new dependency (fast-xml-parser) would add nothing this
 * subset needs and must still be configured to refuse DTDs.
 */

export interface XmlHandler {
  /** An element starts; `name` without its namespace prefix. */
  open(name: string, attrs: Record<string, string>): void;
  /** Character data inside the current element (may come in several pieces). */
  text(text: string): void;
  close(name: string): void;
}

export class XmlError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
  }
}

const MAX_TAG = 64 * 1024;
const MAX_TEXT = 1024 * 1024;
const MAX_DEPTH = 64;

const NAME = /^[A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?/;
const ATTR = /\s*([A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?)\s*=\s*(?:"([^"]*)"|'([^']*)')/y;
const PLAIN_NAME = /^[A-Za-z_][\w.\-]*$/;
const NO_ATTRS: Record<string, string> = Object.freeze({}) as Record<string, string>;
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export class XmlReader {
  private buf = '';
  /** Line of the start of buf, and where in buf the reader is (for error positions, counted only on error). */
  private line = 1;
  private pos = 0;
  private readonly stack: string[] = [];
  private rootSeen = false;
  private rootClosed = false;

  constructor(private readonly handler: XmlHandler) {}

  push(chunk: string): void {
    this.buf = this.buf.length ? this.buf + chunk : chunk;
    this.drain(false);
  }

  end(): void {
    this.drain(true);
    if (this.buf.trim() !== '') throw this.error('the file ends in the middle of a tag');
    if (!this.rootSeen) throw this.error('no XML element found');
    if (this.stack.length) throw this.error(`the file ends inside <${this.stack.at(-1)}>: it is cut off`);
  }

  private error(message: string): XmlError {
    return new XmlError(message, this.line + lineBreaks(this.buf, 0, this.pos));
  }

  private drain(final: boolean): void {
    const b = this.buf;
    let pos = 0;
    for (;;) {
      this.pos = pos;
      const lt = b.indexOf('<', pos);
      const textEnd = lt < 0 ? b.length : lt;
      if (textEnd > pos) {
        if (lt < 0 && !final) {
          if (b.length - pos > MAX_TEXT) throw this.error(`text longer than ${MAX_TEXT} characters`);
          break;
        }
        this.emitText(b.slice(pos, textEnd));
        pos = textEnd;
        this.pos = pos;
      }
      if (lt < 0) break;
      this.pos = lt;
      const end = this.markup(b, lt, final);
      if (end < 0) {
        if (b.length - lt > MAX_TAG + MAX_TEXT) throw this.error('a tag, comment or CDATA section does not end');
        break;
      }
      pos = end;
    }
    this.line += lineBreaks(b, 0, pos);
    this.pos = 0;
    this.buf = pos >= b.length ? '' : b.slice(pos);
  }

  private emitText(raw: string): void {
    if (this.stack.length === 0) {
      if (raw.trim() !== '') throw this.error(this.rootClosed ? 'text after the end of the document' : 'text before the first element');
      return;
    }
    this.handler.text(raw.includes('&') ? this.decode(raw) : raw);
  }

  private decode(raw: string): string {
    return raw.replace(/&([^;&\s]{0,12});?/g, (whole, name: string) => {
      if (!whole.endsWith(';')) throw this.error(`a bare '&' in text (write &amp;)`);
      if (PREDEFINED[name]) return PREDEFINED[name]!;
      const code = /^#x([0-9a-fA-F]{1,6})$/.exec(name) ? parseInt(name.slice(2), 16) : /^#(\d{1,7})$/.test(name) ? Number(name.slice(1)) : NaN;
      if (Number.isNaN(code)) throw this.error(`entity &${name}; is not allowed: only &lt; &gt; &amp; &quot; &apos; and character references are read, no entity is expanded`);
      if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) throw this.error(`character reference &${name}; is not a character`);
      return String.fromCodePoint(code);
    });
  }

  /** Handles the markup starting at `lt`; returns where it ends, or -1 when the rest has not arrived yet. */
  private markup(b: string, lt: number, final: boolean): number {
    const next = b.charCodeAt(lt + 1);
    if (Number.isNaN(next)) return this.incomplete(final, 'a tag');
    // A chunk may end inside '<!--' or '<![CDATA[': wait for the rest before deciding what it is.
    if (next === 33 && !final && b.length - lt < 9 && ['<!--', '<![CDATA[', '<!DOCTYPE'].some((p) => p.startsWith(b.slice(lt)))) return -1;
    if (b.startsWith('<?', lt)) return this.until(b, lt, '?>', final, 'a processing instruction');
    if (b.startsWith('<!--', lt)) return this.until(b, lt, '-->', final, 'a comment');
    if (b.startsWith('<![CDATA[', lt)) {
      const end = this.until(b, lt, ']]>', final, 'a CDATA section');
      if (end >= 0) {
        if (this.stack.length === 0) throw this.error('CDATA outside the document element');
        this.handler.text(b.slice(lt + 9, end - 3));
      }
      return end;
    }
    if (b.charCodeAt(lt + 1) === 33 /* ! */) {
      throw this.error(
        b.startsWith('<!DOCTYPE', lt)
          ? 'a DOCTYPE is not accepted: bank statements need none, and its entities could read files or expand without bound (XXE)'
          : 'a <! declaration is not accepted in a bank statement',
      );
    }
    const gt = this.tagEnd(b, lt);
    if (gt < 0) {
      if (b.length - lt > MAX_TAG) throw this.error(`a tag longer than ${MAX_TAG} characters`);
      return this.incomplete(final, 'a tag');
    }
    if (next === 47 /* / */) this.closeTag(b.slice(lt + 2, gt).trim());
    else this.openTag(b.slice(lt + 1, gt));
    return gt + 1;
  }

  private incomplete(final: boolean, what: string): number {
    if (final) throw this.error(`the file ends inside ${what}`);
    return -1;
  }

  private until(b: string, lt: number, terminator: string, final: boolean, what: string): number {
    const at = b.indexOf(terminator, lt);
    if (at < 0) return this.incomplete(final, what);
    return at + terminator.length;
  }

  /** The '>' closing the tag at lt, skipping quoted attribute values; -1 if not there yet. */
  private tagEnd(b: string, lt: number): number {
    let quote = 0;
    for (let i = lt + 1; i < b.length; i++) {
      const c = b.charCodeAt(i);
      if (quote) {
        if (c === quote) quote = 0;
      } else if (c === 34 || c === 39) quote = c;
      else if (c === 62) return i;
      else if (c === 60) throw this.error("'<' inside a tag");
    }
    return -1;
  }

  private openTag(inner: string): void {
    const selfClosing = inner.endsWith('/');
    const body = selfClosing ? inner.slice(0, -1) : inner;
    if (this.rootClosed) throw this.error('a second document element after the first one ended');
    if (this.stack.length >= MAX_DEPTH) throw this.error(`elements nested deeper than ${MAX_DEPTH}`);
    let qname: string;
    let attrs: Record<string, string> = NO_ATTRS;
    // Most statement tags are a bare name: no regex, no attribute object for those.
    if (PLAIN_NAME.test(body)) qname = body;
    else {
      const m = NAME.exec(body);
      if (!m) throw this.error(`not a valid element name: <${body.slice(0, 40)}`);
      qname = m[0];
      attrs = {};
      let at = m[0].length;
      ATTR.lastIndex = at;
      for (let a = ATTR.exec(body); a; a = ATTR.exec(body)) {
        const raw = a[2] ?? a[3] ?? '';
        attrs[localName(a[1]!)] = raw.includes('&') ? this.decode(raw) : raw;
        at = ATTR.lastIndex;
      }
      if (body.slice(at).trim() !== '') throw this.error(`malformed attributes in <${m[0]}>`);
    }
    const name = localName(qname);
    this.rootSeen = true;
    this.stack.push(name);
    this.handler.open(name, attrs);
    if (selfClosing) this.closeTag(qname);
  }

  private closeTag(raw: string): void {
    const name = localName(raw);
    const top = this.stack.pop();
    if (top !== name) throw this.error(top ? `</${name}> closes <${top}>` : `</${name}> without an opening tag`);
    this.handler.close(name);
    if (this.stack.length === 0) this.rootClosed = true;
  }
}

function lineBreaks(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = s.indexOf('\n', from); i >= 0 && i < to; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

function localName(qname: string): string {
  const colon = qname.indexOf(':');
  return colon < 0 ? qname : qname.slice(colon + 1);
}
