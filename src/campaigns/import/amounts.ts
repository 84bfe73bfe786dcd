/**
 * Amounts as Dutch and English back offices write them → integer cents.
 * `1.234,56`, `1234,56`, `1234.56`, `1,234.56`, `€ 1.234,56`, `EUR 12` are read;
 * `1.234` and `1,234` are refused as ambiguous (a thousand, or one and a bit?),
 * as are negative amounts, more than two decimals, and anything not a number.
 */
import { bad, ok, type Parsed } from './result.ts';

const CURRENCY = /^(?:€|eur)\s*|\s*(?:€|eur)$/i;
const MAX_CENTS = 1e13; // 100 billion euros: anything larger is a data error

/** The usual Dutch spellings `1.234,56`, `1234,56`, `12`: read without the general rules below. */
const PLAIN_NL = /^(?:(\d{1,3}(?:\.\d{3})+),(\d{2})|(\d+)(?:,(\d{2}))?)$/;

export function parseAmount(input: string): Parsed<number> {
  const plain = PLAIN_NL.exec(input);
  if (plain) {
    const euros = plain[1] !== undefined ? plain[1].replaceAll('.', '') : plain[3]!;
    const frac = plain[2] ?? plain[4];
    const cents = Number(euros) * 100 + (frac ? Number(frac) : 0);
    if (cents > 0 && cents <= MAX_CENTS) return ok(cents);
  }
  let s = input.replace(/[\s\u00a0\u202f]+/g, ' ').trim();
  if (s === '') return bad('amount is empty');
  s = s.replace(CURRENCY, '').replace(/ /g, '');
  if (/^-|^\(.*\)$|-$/.test(s)) return bad('amount is negative');
  if (s.startsWith('+')) s = s.slice(1);
  if (!/^[\d.,]+$/.test(s) || !/\d/.test(s)) return bad('amount is not a number');
  const lastDot = s.lastIndexOf('.');
  const lastComma = s.lastIndexOf(',');
  let intPart: string;
  let frac = '';
  if (lastDot >= 0 && lastComma >= 0) {
    // Both present: the later one is the decimal separator, the other groups thousands.
    const dec = lastDot > lastComma ? '.' : ',';
    const grp = dec === '.' ? ',' : '.';
    const at = s.lastIndexOf(dec);
    intPart = s.slice(0, at);
    frac = s.slice(at + 1);
    if (frac.includes(grp) || !validGrouping(intPart, grp)) return bad('amount has misplaced separators');
    intPart = intPart.split(grp).join('');
  } else if (lastDot >= 0 || lastComma >= 0) {
    const sep = lastDot >= 0 ? '.' : ',';
    const parts = s.split(sep);
    if (parts.length > 2) {
      // 1.234.567 or 1,234,567: only valid as thousands grouping.
      if (!validGrouping(s, sep)) return bad('amount has misplaced separators');
      intPart = parts.join('');
    } else {
      const [a, b] = parts as [string, string];
      if (b.length === 3 && a.length >= 1 && a.length <= 3 && a !== '0') {
        return bad(`amount is ambiguous: ${input.trim()} could be ${a}${b} or ${a}.${b}; write ${a}${b},00 or ${a},${b.slice(0, 2)}`);
      }
      if (b.length === 0 || b.length > 2) return bad(b.length > 2 ? 'amount has more than two decimals' : 'amount has misplaced separators');
      intPart = a;
      frac = b;
    }
  } else {
    intPart = s;
  }
  if (intPart === '') intPart = '0';
  if (!/^\d+$/.test(intPart) || !/^\d{0,2}$/.test(frac)) {
    return bad(frac.length > 2 ? 'amount has more than two decimals' : 'amount is not a number');
  }
  const cents = Number(intPart) * 100 + Number(frac.padEnd(2, '0'));
  if (!Number.isSafeInteger(cents) || cents > MAX_CENTS) return bad('amount is too large');
  if (cents === 0) return bad('amount is zero');
  return ok(cents);
}

/** `1.234.567` with sep '.': a first group of 1–3 digits, then groups of exactly 3. */
function validGrouping(s: string, sep: string): boolean {
  const groups = s.split(sep);
  if (groups.length === 1) return /^\d+$/.test(s);
  return /^\d{1,3}$/.test(groups[0]!) && groups.slice(1).every((g) => /^\d{3}$/.test(g));
}
