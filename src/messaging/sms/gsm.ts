/**
 * SMS text encoding (3GPP TS 23.038, "GSM 03.38") and part splitting (TS 23.040 UDH
 * concatenation). Pure: no I/O, no clock.
 *
 * - GSM 7-bit default alphabet, plus the extension table reached through ESC (0x1B): each
 *   of ^ { } [ ] ~ \ | € and form feed costs two septets. We never use national shift
 *   tables: not every Dutch aggregator passes them through.
 * - Anything outside both tables → UCS-2 for the whole message (one 16-bit unit per BMP
 *   character, two for a character outside it, e.g. an emoji).
 * - One part holds 160 septets / 70 UCS-2 units; a concatenated message's parts lose 7
 *   septets / 3 units to the 6-octet UDH, leaving 153 / 67. An escape pair or a surrogate
 *   pair is never cut across parts (a handset would show garbage on both sides).
 * - On the SMPP wire, data_coding 0 carries one septet per octet (unpacked), which is what
 *   SMSCs expect in short_message; packing to 7 bits is the SMSC's job.
 */

export type SmsEncoding = 'gsm7' | 'ucs2';

/** The basic table, in code order (0x00 … 0x7F); 0x1B is the escape, never a character. */
const BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1BÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
/** Extension table: character → code after ESC. */
const EXTENSION: ReadonlyArray<[string, number]> = [
  ['\f', 0x0a], ['^', 0x14], ['{', 0x28], ['}', 0x29], ['\\', 0x2f],
  ['[', 0x3c], ['~', 0x3d], [']', 0x3e], ['|', 0x40], ['€', 0x65],
];
export const GSM_ESCAPE = 0x1b;

const basicCode = new Map<string, number>();
for (let i = 0; i < BASIC.length; i++) if (i !== GSM_ESCAPE) basicCode.set(BASIC[i]!, i);
const extCode = new Map<string, number>(EXTENSION);
const extChar = new Map<number, string>(EXTENSION.map(([c, n]) => [n, c]));

export const LIMITS = {
  gsm7: { single: 160, multi: 153 },
  ucs2: { single: 70, multi: 67 },
} as const;

/** SMPP data_coding values we send. */
export const DATA_CODING = { gsm7: 0x00, ucs2: 0x08 } as const;

export interface SmsMeasure {
  encoding: SmsEncoding;
  /** Septets (GSM, escapes count 2) or UTF-16 units (UCS-2, an emoji counts 2). */
  units: number;
  parts: number;
  /** Units one part holds for this message (160/153 or 70/67). */
  perPart: number;
}

/** True when every character is in the GSM default alphabet or its extension table. */
export function isGsm7(text: string): boolean {
  for (const ch of text) if (!basicCode.has(ch) && !extCode.has(ch)) return false;
  return true;
}

/** Septets a GSM-encodable text takes (extension characters count 2). */
function septets(text: string): number {
  let n = 0;
  for (const ch of text) n += extCode.has(ch) ? 2 : 1;
  return n;
}

/** What the console shows before sending: encoding, length in units, and how many parts. */
export function measure(text: string): SmsMeasure {
  const encoding: SmsEncoding = isGsm7(text) ? 'gsm7' : 'ucs2';
  const units = encoding === 'gsm7' ? septets(text) : text.length;
  const limits = LIMITS[encoding];
  if (units <= limits.single) return { encoding, units, parts: 1, perPart: limits.single };
  // Parts are cut at character boundaries, so a part may hold one unit less than perPart.
  const parts = split(text, encoding).length;
  return { encoding, units, parts, perPart: limits.multi };
}

/** Cuts the text into the strings each part carries (never splitting an escape or a surrogate pair). */
export function split(text: string, encoding: SmsEncoding = isGsm7(text) ? 'gsm7' : 'ucs2'): string[] {
  const limits = LIMITS[encoding];
  const cost = (ch: string) => (encoding === 'gsm7' ? (extCode.has(ch) ? 2 : 1) : ch.length);
  const total = encoding === 'gsm7' ? septets(text) : text.length;
  if (total <= limits.single) return [text];
  const parts: string[] = [];
  let current = '';
  let used = 0;
  for (const ch of text) {
    const c = cost(ch);
    if (used + c > limits.multi) {
      parts.push(current);
      current = '';
      used = 0;
    }
    current += ch;
    used += c;
  }
  if (current) parts.push(current);
  return parts;
}

/** One septet per octet (SMPP data_coding 0). Throws on a character outside GSM 03.38: check first. */
export function encodeGsm7(text: string): Buffer {
  const out = Buffer.allocUnsafe(septets(text));
  let i = 0;
  for (const ch of text) {
    const basic = basicCode.get(ch);
    if (basic !== undefined) {
      out[i++] = basic;
      continue;
    }
    const ext = extCode.get(ch);
    if (ext === undefined) throw new RangeError(`encodeGsm7: character U+${ch.codePointAt(0)!.toString(16).toUpperCase()} is not in GSM 03.38`);
    out[i++] = GSM_ESCAPE;
    out[i++] = ext;
  }
  return out;
}

/**
 * Unpacked septets back to text. Lenient, because the bytes come from the network: an
 * unknown escape shows as the basic character (what TS 23.038 asks of a receiver), a
 * byte above 0x7F is masked to 7 bits, a trailing lone ESC is dropped.
 */
export function decodeGsm7(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]! & 0x7f;
    if (b === GSM_ESCAPE) {
      if (i + 1 >= bytes.length) break;
      const next = bytes[++i]! & 0x7f;
      out += extChar.get(next) ?? (next === GSM_ESCAPE ? ' ' : BASIC[next]!);
      continue;
    }
    out += BASIC[b]!;
  }
  return out;
}

/** UTF-16 big-endian (UCS-2 on the wire; surrogate pairs pass through as two units). */
export function encodeUcs2(text: string): Buffer {
  const out = Buffer.allocUnsafe(text.length * 2);
  for (let i = 0; i < text.length; i++) out.writeUInt16BE(text.charCodeAt(i), i * 2);
  return out;
}

/** A trailing odd byte is ignored (malformed input from the network must not throw). */
export function decodeUcs2(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i + 1 < bytes.length; i += 2) out += String.fromCharCode((bytes[i]! << 8) | bytes[i + 1]!);
  return out;
}

export interface EncodedSms {
  encoding: SmsEncoding;
  dataCoding: number;
  /** Each part's payload, without UDH. */
  parts: Buffer[];
}

/** Chooses the encoding, splits, and encodes each part. */
export function encodeSms(text: string): EncodedSms {
  const encoding: SmsEncoding = isGsm7(text) ? 'gsm7' : 'ucs2';
  const enc = encoding === 'gsm7' ? encodeGsm7 : encodeUcs2;
  return { encoding, dataCoding: DATA_CODING[encoding], parts: split(text, encoding).map(enc) };
}

/**
 * Decodes a short_message payload by its data_coding: 0 (SMSC default, read as GSM 03.38),
 * 1 (IA5/ASCII), 3 (Latin-1), 8 (UCS-2); anything else is read as Latin-1 rather than refused,
 * since a reply is worth more than a perfect decode.
 */
export function decodeByDataCoding(bytes: Uint8Array, dataCoding: number): string {
  const scheme = dataCoding & 0xff;
  // 0xF0–0xF3: "data coding/message class" group, 7-bit default alphabet.
  if (scheme === 0x00 || (scheme & 0xfc) === 0xf0) return decodeGsm7(bytes);
  if (scheme === 0x08) return decodeUcs2(bytes);
  if (scheme === 0x01) return Buffer.from(bytes).toString('ascii');
  return Buffer.from(bytes).toString('latin1');
}
