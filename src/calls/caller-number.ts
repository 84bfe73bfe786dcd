/**
 * The caller's number as a network delivers it → E.164, or null when there is nothing to
 * match on. Dutch networks and PBXs send national (0612345678), international with 00
 * (0031612345678), E.164, or the written form "+31 (0)6 1234 5678"; a withheld number
 * comes as '', 'anonymous', 'unknown', 'restricted' or similar.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

const WITHHELD = /^(anonymous|unknown|unavailable|restricted|private|withheld|asterisk)$/i;

export function normaliseCallerNumber(raw: string | null | undefined, defaultCountry = 'NL'): string | null {
  const s = (raw ?? '').trim();
  if (s === '' || WITHHELD.test(s)) return null;
  let n = s.replace(/\(0\)/g, '').replace(/[\s\-./()]/g, '');
  if (n.startsWith('00')) n = `+${n.slice(2)}`;
  if (!/^\+?\d{3,}$/.test(n)) return null;
  const parsed = parsePhoneNumberFromString(n, defaultCountry.toUpperCase() as CountryCode);
  return parsed?.isValid() ? parsed.number : null;
}
