/**
 * English cardinals in words, without "and" between hundreds and tens
 * ("one thousand two hundred thirty-four"): short and unambiguous when spoken.
 */
const UNITS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten',
  'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

function below1000(n: number): string {
  const words: string[] = [];
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  if (hundreds > 0) words.push(UNITS[hundreds]!, 'hundred');
  if (rest > 0 && rest < 20) words.push(UNITS[rest]!);
  else if (rest >= 20) words.push(TENS[Math.floor(rest / 10)]! + (rest % 10 ? '-' + UNITS[rest % 10] : ''));
  return words.join(' ');
}

const SCALES: Array<[number, string]> = [
  [1e12, 'trillion'],
  [1e9, 'billion'],
  [1e6, 'million'],
  [1e3, 'thousand'],
];

/** A whole number ≥ 0 in English words. */
export function englishCardinal(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`englishCardinal: ${n} is not a whole number ≥ 0`);
  if (n === 0) return 'zero';
  const parts: string[] = [];
  let rest = n;
  for (const [size, word] of SCALES) {
    if (rest >= size) {
      parts.push(englishCardinal(Math.floor(rest / size)), word);
      rest %= size;
    }
  }
  if (rest > 0) parts.push(below1000(rest));
  return parts.join(' ');
}

export const ENGLISH_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
  'September', 'October', 'November', 'December'];
