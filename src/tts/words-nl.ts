/**
 * Dutch cardinals in words, written the way the Taalunie spells them and espeak-ng
 * pronounces them: one word up to a thousand ("tweehonderdvierendertig"), a space after
 * "duizend" ("tweeduizend zesentwintig"), "miljoen"/"miljard" as separate words.
 *
 * Choice for 1100–1999 when the hundreds digit is not zero: the spoken form
 * "twaalfhonderdvierendertig" (Taalunie allows both it and "duizend
 * tweehonderdvierendertig"); it is how Dutch speakers say amounts and years in that
 * range. From 2000 up the "duizend" form is used ("tweeduizend vijfhonderd"), which a
 * B1 listener follows more easily than "vijfentwintighonderd".
 *
 * A 1 that stands alone as a word is "één" (with accents): espeak-ng reads "een" as the
 * article /ən/ ("één euro", "één miljoen", "duizend één").
 */
const UNITS = ['nul', 'een', 'twee', 'drie', 'vier', 'vijf', 'zes', 'zeven', 'acht', 'negen',
  'tien', 'elf', 'twaalf', 'dertien', 'veertien', 'vijftien', 'zestien', 'zeventien', 'achttien', 'negentien'];
const TENS = ['', '', 'twintig', 'dertig', 'veertig', 'vijftig', 'zestig', 'zeventig', 'tachtig', 'negentig'];

/** 1..99 as one word: "eenentwintig", "tweeëntwintig" (trema where e meets e). */
function below100(n: number): string {
  if (n < 20) return UNITS[n]!;
  const unit = n % 10;
  const tens = TENS[Math.floor(n / 10)]!;
  if (unit === 0) return tens;
  const u = UNITS[unit]!;
  // "twee" + "en" and "drie" + "en": the vowel clash takes a trema (tweeëntwintig, drieëndertig).
  const joiner = u.endsWith('e') ? 'ën' : 'en';
  return u + joiner + tens;
}

/** 1..999 as one word: "honderd", "honderdeen", "tweehonderdvierendertig". */
function below1000(n: number): string {
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  const head = hundreds === 0 ? '' : hundreds === 1 ? 'honderd' : UNITS[hundreds] + 'honderd';
  return head + (rest === 0 ? '' : below100(rest));
}

/** 1..999 999, with a space after "duizend". */
function below1e6(n: number): string {
  if (n >= 1100 && n < 2000 && Math.floor(n / 100) % 10 !== 0) {
    // 1100–1999: "elfhonderd", "twaalfhonderdvierendertig", "negentienhonderdnegenennegentig".
    return below100(Math.floor(n / 100)) + 'honderd' + (n % 100 === 0 ? '' : below100(n % 100));
  }
  const thousands = Math.floor(n / 1000);
  const rest = n % 1000;
  if (thousands === 0) return below1000(rest);
  const head = thousands === 1 ? 'duizend' : below1000(thousands) + 'duizend';
  return rest === 0 ? head : `${head} ${below1000(rest)}`;
}

const BIG: Array<[number, string]> = [
  [1e12, 'biljoen'],
  [1e9, 'miljard'],
  [1e6, 'miljoen'],
];

/** A whole number ≥ 0 in Dutch words, as espeak-ng should say it. */
export function dutchCardinal(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`dutchCardinal: ${n} is not a whole number ≥ 0`);
  if (n === 0) return 'nul';
  const parts: string[] = [];
  let rest = n;
  for (const [size, word] of BIG) {
    if (rest >= size) {
      const count = Math.floor(rest / size);
      parts.push(dutchCardinal(count), word);
      rest %= size;
    }
  }
  if (rest > 0) parts.push(below1e6(rest));
  // Every "een" that stands alone is the number, not the article: "één miljoen", "duizend één".
  return parts.join(' ').split(' ').map((w) => (w === 'een' ? 'één' : w)).join(' ');
}

export const DUTCH_MONTHS = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus',
  'september', 'oktober', 'november', 'december'];
