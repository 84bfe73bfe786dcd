/**
 * Amounts, dates and digits as a list of recorded words, composed the way Asterisk's
 * SayNumber composes its digits/ files (main/say.c): Dutch "eenentwintig" is
 * een + en + twintig (Asterisk's digits/nl-en), "tweehonderd" is twee + honderd,
 * "twaalfhonderdvierendertig" is twaalf + honderd + vier + en + dertig; English says
 * "twenty-one" as twenty + one. The words follow the rules of words-nl.ts and words-en.ts
 * (the 1100–1999 "twaalfhonderd" form, "honderd" and "duizend" without "een"), so a
 * recorded amount says what the synthesised one would.
 *
 * A word is a key `word.<name>`: the numbers 0–20, the tens 30–90, 100, 1000, 1000000,
 * `and` (Dutch "en"), euro, euros, cent, cents, month-1 … month-12. What these cannot say
 * (other currencies, a billion, letters in a reference) gives null: the value is then
 * synthesised whole.
 */
import type { Language } from '../campaigns/settings.ts';
import { DUTCH_MONTHS } from '../tts/words-nl.ts';
import { ENGLISH_MONTHS } from '../tts/words-en.ts';
import { phoneInWords, spellOut } from '../tts/words.ts';

const NL_UNITS = ['nul', 'één', 'twee', 'drie', 'vier', 'vijf', 'zes', 'zeven', 'acht', 'negen', 'tien', 'elf', 'twaalf', 'dertien', 'veertien',
  'vijftien', 'zestien', 'zeventien', 'achttien', 'negentien', 'twintig'];
const EN_UNITS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen',
  'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen', 'twenty'];
const NL_BIG: Record<number, string> = { 30: 'dertig', 40: 'veertig', 50: 'vijftig', 60: 'zestig', 70: 'zeventig', 80: 'tachtig', 90: 'negentig', 100: 'honderd', 1000: 'duizend', 1_000_000: 'miljoen' };
const EN_BIG: Record<number, string> = { 30: 'thirty', 40: 'forty', 50: 'fifty', 60: 'sixty', 70: 'seventy', 80: 'eighty', 90: 'ninety', 100: 'hundred', 1000: 'thousand', 1_000_000: 'million' };

function numberWord(n: number): [string, Record<Language, string>] {
  return [`word.${n}`, { nl: NL_UNITS[n] ?? NL_BIG[n]!, en: EN_UNITS[n] ?? EN_BIG[n]! }];
}

/** Every word key an admin may record, with what the speaker says in each language. */
export const WORD_KEYS: ReadonlyMap<string, Record<Language, string>> = new Map<string, Record<Language, string>>([
  ...[...NL_UNITS.keys(), 30, 40, 50, 60, 70, 80, 90, 100, 1000, 1_000_000].map(numberWord),
  ['word.and', { nl: 'en', en: 'and' }],
  ['word.euro', { nl: 'euro', en: 'euro' }],
  ['word.euros', { nl: 'euro', en: 'euros' }],
  ['word.cent', { nl: 'cent', en: 'cent' }],
  ['word.cents', { nl: 'cent', en: 'cents' }],
  ...DUTCH_MONTHS.map((m, i): [string, Record<Language, string>] => [`word.month-${i + 1}`, { nl: m, en: ENGLISH_MONTHS[i]! }]),
]);

const w = (n: number | string) => `word.${n}`;

/** 1..99, Dutch: the unit before the tens, joined by "en" (een-en-twintig). */
function nlBelow100(n: number): string[] {
  if (n <= 20) return [w(n)];
  const unit = n % 10;
  const tens = n - unit;
  return unit === 0 ? [w(tens)] : [w(unit), w('and'), w(tens)];
}

function nlBelow1000(n: number): string[] {
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  const head = hundreds === 0 ? [] : hundreds === 1 ? [w(100)] : [w(hundreds), w(100)];
  return rest === 0 ? head : [...head, ...nlBelow100(rest)];
}

function nlBelow1e6(n: number): string[] {
  if (n >= 1100 && n < 2000 && Math.floor(n / 100) % 10 !== 0) {
    return [...nlBelow100(Math.floor(n / 100)), w(100), ...(n % 100 === 0 ? [] : nlBelow100(n % 100))];
  }
  const thousands = Math.floor(n / 1000);
  const rest = n % 1000;
  if (thousands === 0) return nlBelow1000(rest);
  const head = thousands === 1 ? [w(1000)] : [...nlBelow1000(thousands), w(1000)];
  return rest === 0 ? head : [...head, ...nlBelow1000(rest)];
}

function enBelow1000(n: number): string[] {
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  const out = hundreds > 0 ? [w(hundreds), w(100)] : [];
  if (rest > 0 && rest <= 20) out.push(w(rest));
  else if (rest > 20) out.push(w(rest - (rest % 10)), ...(rest % 10 ? [w(rest % 10)] : []));
  return out;
}

/** A whole number as word keys; null above 999 999 999 (no "miljard" / "billion" word). */
export function cardinalWords(n: number, lang: Language): string[] | null {
  if (!Number.isSafeInteger(n) || n < 0 || n >= 1e9) return null;
  if (n === 0) return [w(0)];
  const millions = Math.floor(n / 1e6);
  const rest = n % 1e6;
  const below = (x: number) => (lang === 'nl' ? nlBelow1e6(x) : [...(x >= 1000 ? [...enBelow1000(Math.floor(x / 1000)), w(1000)] : []), ...enBelow1000(x % 1000)]);
  return [...(millions ? [...below(millions), w(1_000_000)] : []), ...(rest ? below(rest) : [])];
}

/** An amount in cents, as amountInWords says it (euro only). */
export function amountWords(cents: number, lang: Language, currency = 'EUR'): string[] | null {
  if (currency.toUpperCase() !== 'EUR' || !Number.isSafeInteger(cents) || cents < 0) return null;
  const major = Math.floor(cents / 100);
  const minor = cents % 100;
  const say = (n: number, one: string, many: string) => {
    const num = cardinalWords(n, lang);
    return num && [...num, w(n === 1 || lang === 'nl' ? one : many)];
  };
  const euros = say(major, 'euro', 'euros');
  const cent = say(minor, 'cent', 'cents');
  if (!euros || !cent) return null;
  if (minor === 0) return euros;
  if (major === 0) return cent;
  return [...euros, w('and'), ...cent];
}

/** YYYY-MM-DD: Dutch day month year ("eenendertig december tweeduizend zesentwintig"); English the same order, day as a number. */
export function dateWords(iso: string, lang: Language): string[] | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  const d = cardinalWords(day, lang);
  const y = cardinalWords(year, lang);
  return d && y && [...d, w(`month-${month}`), ...y];
}

/** A phone number or reference read one digit at a time; null when it holds anything but digits and group breaks. */
export function digitWords(spoken: string): string[] | null {
  const chars = spoken.replace(/[,\s]+/g, '');
  return /^\d+$/.test(chars) ? [...chars].map((c) => w(c)) : null;
}

export const phoneWords = (value: string, lang: Language) => digitWords(phoneInWords(value, lang));
export const spelledWords = (value: string, lang: Language) => digitWords(spellOut(value, lang));
