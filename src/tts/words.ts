/**
 * Amounts, dates, references and phone numbers as the text a TTS engine should speak.
 * The output holds words (or single characters) so that espeak-ng and a cloud TTS say
 * the same thing a Dutch B1 listener expects, without guessing how to read "1.234,56".
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import type { Language } from '../campaigns/settings.ts';
import { dutchCardinal, DUTCH_MONTHS } from './words-nl.ts';
import { englishCardinal, ENGLISH_MONTHS } from './words-en.ts';

export function cardinal(n: number, lang: Language): string {
  return lang === 'nl' ? dutchCardinal(n) : englishCardinal(n);
}

interface Unit { one: string; many: string }
interface CurrencyWords { major: Unit; minor: Unit }

/** Dutch keeps the unit singular after a number ("twee euro", "vijf cent"); English does not. */
const CURRENCIES: Record<string, Record<Language, CurrencyWords>> = {
  EUR: {
    nl: { major: { one: 'euro', many: 'euro' }, minor: { one: 'cent', many: 'cent' } },
    en: { major: { one: 'euro', many: 'euros' }, minor: { one: 'cent', many: 'cents' } },
  },
  USD: {
    nl: { major: { one: 'dollar', many: 'dollar' }, minor: { one: 'cent', many: 'cent' } },
    en: { major: { one: 'dollar', many: 'dollars' }, minor: { one: 'cent', many: 'cents' } },
  },
  GBP: {
    nl: { major: { one: 'pond', many: 'pond' }, minor: { one: 'penny', many: 'pence' } },
    en: { major: { one: 'pound', many: 'pounds' }, minor: { one: 'penny', many: 'pence' } },
  },
};

/**
 * 123456 cents → "twaalfhonderdvierendertig euro en zesenvijftig cent" /
 * "one thousand two hundred thirty-four euros and fifty-six cents". Money is integer
 * cents only; an unknown currency is spoken by its code after the number.
 */
export function amountInWords(cents: number, lang: Language, currency = 'EUR'): string {
  if (!Number.isSafeInteger(cents) || cents < 0) throw new RangeError(`amountInWords: ${cents} is not a whole number of cents ≥ 0`);
  const code = currency.toUpperCase();
  const words = CURRENCIES[code]?.[lang] ?? { major: { one: code, many: code }, minor: { one: '', many: '' } };
  const major = Math.floor(cents / 100);
  const minor = cents % 100;
  const say = (n: number, u: Unit) => `${cardinal(n, lang)} ${n === 1 ? u.one : u.many}`;
  if (minor === 0 || !words.minor.one) return say(major, words.major);
  if (major === 0) return say(minor, words.minor);
  return `${say(major, words.major)} ${lang === 'nl' ? 'en' : 'and'} ${say(minor, words.minor)}`;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})/;

/**
 * "2026-12-31" → "eenendertig december tweeduizend zesentwintig" (nl: words, so espeak-ng
 * does not read the year as "twee nul twee zes") / "31 December 2026" (en: espeak-ng and
 * cloud voices read English dates naturally).
 */
export function dateInWords(isoDate: string, lang: Language): string {
  const m = ISO_DATE.exec(isoDate);
  const year = Number(m?.[1]);
  const month = Number(m?.[2]);
  const day = Number(m?.[3]);
  if (!m || month < 1 || month > 12 || day < 1 || day > 31) throw new RangeError(`dateInWords: "${isoDate}" is not a YYYY-MM-DD date`);
  if (lang === 'nl') return `${dutchCardinal(day)} ${DUTCH_MONTHS[month - 1]} ${dutchCardinal(year)}`;
  return `${day} ${ENGLISH_MONTHS[month - 1]} ${year}`;
}

const SEPARATORS: Record<string, Record<Language, string>> = {
  '-': { nl: 'streepje', en: 'dash' },
  '/': { nl: 'schuine streep', en: 'slash' },
  '.': { nl: 'punt', en: 'dot' },
  '_': { nl: 'liggend streepje', en: 'underscore' },
};

/**
 * "F2026-001" → "F 2 0 2 6, streepje, 0 0 1": one character at a time, so a TTS engine
 * reads a reference the way a person would type it. Commas give a short pause between
 * groups; characters that cannot be spoken are left out.
 */
export function spellOut(text: string, lang: Language): string {
  const groups: string[] = [];
  let current: string[] = [];
  const flush = () => {
    if (current.length) groups.push(current.join(' '));
    current = [];
  };
  for (const ch of text.normalize('NFC')) {
    if (/[\p{L}\p{N}]/u.test(ch)) current.push(ch.toUpperCase());
    else if (SEPARATORS[ch]) {
      flush();
      groups.push(SEPARATORS[ch]![lang]);
    } else flush();
  }
  flush();
  return groups.join(', ');
}

/**
 * "+31201234567" → "0 2 0, 1 2 3, 4 5 6 7": the number as a caller in `homeCountry`
 * dials it (national format at home, "plus 4 4, …" abroad), one digit at a time in
 * the groups people write it in.
 */
export function phoneInWords(phone: string, lang: Language, homeCountry: CountryCode = 'NL'): string {
  const parsed = parsePhoneNumberFromString(phone, homeCountry);
  const written = !parsed ? phone : parsed.country === homeCountry ? parsed.formatNational() : parsed.formatInternational();
  return written
    .split(/[\s\-()]+/)
    .filter(Boolean)
    // A long block ("06 12345678") is read in pairs, as Dutch speakers say mobile numbers.
    .flatMap((group) => (/^\d{5,}$/.test(group) ? (group.match(/\d{1,2}/g) ?? []) : [group]))
    .map((group) => (group.startsWith('+') ? 'plus ' : '') + [...group.replace('+', '')].join(' '))
    .join(', ');
}
