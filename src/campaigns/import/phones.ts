/**
 * Phone numbers → E.164 with the campaign's default country (NL: `06-12345678` →
 * +31612345678, `0031 6 …`, `+31 (0)6 …`).
 *
 * libphonenumber-js (full metadata) is the judge, but parsing costs ~8 µs a number, which
 * alone would halve import speed. Most back-office numbers are plain national or
 * international digits for the default country, so those take a fast path that applies
 * the same metadata's number-type patterns directly; anything else, and anything the fast
 * path would refuse, goes through the library so its verdict and reason are the ones
 * reported. test/unit/phones-normalise-to-e164.test.ts checks that both paths agree.
 */
import { parsePhoneNumberWithError, validatePhoneNumberLength, ParseError, type CountryCode } from 'libphonenumber-js/max';
import metadata from 'libphonenumber-js/max/metadata';
import { bad, ok, type Parsed } from './result.ts';

type CountryMeta = [string, string, string, number[], unknown, string | 0, unknown, string | 0, ...unknown[]];

interface FastPlan {
  cc: string;
  /** Type patterns (fixed line, mobile, …) anchored, with their allowed lengths. */
  types: { re: RegExp; lengths: number[] }[];
}

function planFor(country: string): FastPlan | undefined {
  const meta = (metadata as unknown as { countries: Record<string, CountryMeta>; country_calling_codes: Record<string, string[]> });
  const m = meta.countries[country];
  if (!m) return undefined;
  const [cc, , , generalLengths, , nationalPrefix, , prefixForParsing] = m;
  // Only the simple, common case: trunk prefix 0, no special parsing rules, one country per code.
  if (nationalPrefix !== '0' || prefixForParsing || meta.country_calling_codes[cc]?.length !== 1) return undefined;
  const rawTypes = m[11] as ([string, number[]?] | 0)[] | undefined;
  if (!Array.isArray(rawTypes)) return undefined;
  const types = rawTypes
    .filter((t): t is [string, number[]?] => Array.isArray(t))
    .map(([p, lengths]) => ({ re: new RegExp(`^(?:${p})$`), lengths: lengths ?? generalLengths }));
  return { cc, types };
}

const FORMATTING = /[\s\u00a0\-./()]/g;

export class PhoneNormaliser {
  private readonly plan: FastPlan | undefined;

  constructor(readonly country: string) {
    this.plan = planFor(country);
  }

  normalise(input: string): Parsed<string> {
    const fast = this.fast(input);
    return fast !== undefined ? ok(fast) : this.slow(input);
  }

  /** E.164 when the fast path can vouch for the number, else undefined (ask the library). */
  private fast(input: string): string | undefined {
    const plan = this.plan;
    if (!plan) return undefined;
    let s = input;
    if (s.includes('(0)')) s = s.replace('(0)', '');
    s = s.replace(FORMATTING, '');
    let national: string;
    if (s.startsWith('+')) {
      if (!s.startsWith(plan.cc, 1)) return undefined;
      national = s.slice(1 + plan.cc.length);
    } else if (s.startsWith('00')) {
      if (!s.startsWith(plan.cc, 2)) return undefined;
      national = s.slice(2 + plan.cc.length);
    } else if (s.startsWith('0')) {
      national = s.slice(1);
    } else {
      return undefined;
    }
    if (!/^[1-9]\d*$/.test(national)) return undefined;
    const len = national.length;
    for (const t of plan.types) if (t.lengths.includes(len) && t.re.test(national)) return `+${plan.cc}${national}`;
    return undefined;
  }

  private slow(input: string): Parsed<string> {
    if (/[a-z]/i.test(input.replace(/\b(?:ext|x|toestel)\b/gi, ''))) return bad('phone number contains letters');
    try {
      const p = parsePhoneNumberWithError(input, { defaultCountry: this.country as CountryCode });
      if (p.isValid()) return ok(p.number);
      const len = validatePhoneNumberLength(input, { defaultCountry: this.country as CountryCode });
      if (len === 'TOO_SHORT') return bad('phone number is too short');
      if (len === 'TOO_LONG') return bad('phone number is too long');
      if (len === 'INVALID_LENGTH') return bad('phone number has an invalid length');
      return bad(`phone number is not a valid ${p.country ?? `+${p.countryCallingCode}`} number`);
    } catch (err) {
      if (err instanceof ParseError) {
        const reasons: Record<string, string> = {
          INVALID_COUNTRY: /^\s*(\+|00)/.test(input) ? 'phone number has an unknown country code' : `phone number cannot be read as a ${this.country} number`,
          NOT_A_NUMBER: 'not a phone number',
          TOO_SHORT: 'phone number is too short',
          TOO_LONG: 'phone number is too long',
        };
        return bad(reasons[err.message] ?? `phone number is invalid (${err.message})`);
      }
      throw err;
    }
  }
}
