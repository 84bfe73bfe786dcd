import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cardinal, amountInWords, dateInWords, spellOut, phoneInWords } from '../../src/tts/words.ts';

// Dutch: one word up to a thousand, a space after "duizend" (Taalunie); 1100–1999 in the
// spoken "twaalfhonderd…" form; a lone 1 is "één" so espeak-ng does not say the article.
const CARDINALS: Array<[number, string, string]> = [
  [0, 'nul', 'zero'],
  [1, 'één', 'one'],
  [12, 'twaalf', 'twelve'],
  [21, 'eenentwintig', 'twenty-one'],
  [22, 'tweeëntwintig', 'twenty-two'],
  [33, 'drieëndertig', 'thirty-three'],
  [100, 'honderd', 'one hundred'],
  [101, 'honderdeen', 'one hundred one'],
  [110, 'honderdtien', 'one hundred ten'],
  [999, 'negenhonderdnegenennegentig', 'nine hundred ninety-nine'],
  [1000, 'duizend', 'one thousand'],
  [1001, 'duizend één', 'one thousand one'],
  [1100, 'elfhonderd', 'one thousand one hundred'],
  [1234, 'twaalfhonderdvierendertig', 'one thousand two hundred thirty-four'],
  [2026, 'tweeduizend zesentwintig', 'two thousand twenty-six'],
  [2500, 'tweeduizend vijfhonderd', 'two thousand five hundred'],
  [10000, 'tienduizend', 'ten thousand'],
  [28064, 'achtentwintigduizend vierenzestig', 'twenty-eight thousand sixty-four'],
  [1000000, 'één miljoen', 'one million'],
  [1234567, 'één miljoen tweehonderdvierendertigduizend vijfhonderdzevenenzestig', 'one million two hundred thirty-four thousand five hundred sixty-seven'],
];

test('numbers are spoken as Dutch and English words the way a listener expects', () => {
  for (const [n, nl, en] of CARDINALS) {
    assert.equal(cardinal(n, 'nl'), nl, `nl ${n}`);
    assert.equal(cardinal(n, 'en'), en, `en ${n}`);
  }
});

test('amounts in cents are spoken in euros and cents, singular after one', () => {
  const table: Array<[number, string, string]> = [
    [123456, 'twaalfhonderdvierendertig euro en zesenvijftig cent', 'one thousand two hundred thirty-four euros and fifty-six cents'],
    [100, 'één euro', 'one euro'],
    [200, 'twee euro', 'two euros'],
    [1, 'één cent', 'one cent'],
    [56, 'zesenvijftig cent', 'fifty-six cents'],
    [101, 'één euro en één cent', 'one euro and one cent'],
    [0, 'nul euro', 'zero euros'],
    [250000, 'tweeduizend vijfhonderd euro', 'two thousand five hundred euros'],
  ];
  for (const [cents, nl, en] of table) {
    assert.equal(amountInWords(cents, 'nl'), nl);
    assert.equal(amountInWords(cents, 'en'), en);
  }
  assert.equal(amountInWords(150, 'en', 'GBP'), 'one pound and fifty pence');
});

test('amounts that are not whole cents are refused rather than misread', () => {
  assert.throws(() => amountInWords(12.5, 'nl'), RangeError);
  assert.throws(() => amountInWords(-1, 'en'), RangeError);
});

test('due dates are spoken as a date, with the Dutch year in words', () => {
  assert.equal(dateInWords('2026-12-31', 'nl'), 'eenendertig december tweeduizend zesentwintig');
  assert.equal(dateInWords('2026-12-31', 'en'), '31 December 2026');
  assert.equal(dateInWords('2027-01-01', 'nl'), 'één januari tweeduizend zevenentwintig');
  assert.throws(() => dateInWords('31-12-2026', 'nl'), RangeError);
});

test('invoice references are spelled one character at a time', () => {
  assert.equal(spellOut('F2026-001', 'nl'), 'F 2 0 2 6, streepje, 0 0 1');
  assert.equal(spellOut('ab 12/3', 'en'), 'A B, 1 2, slash, 3');
});

test('callback numbers are read digit by digit in the groups people dial', () => {
  assert.equal(phoneInWords('+31201234567', 'nl'), '0 2 0, 1 2 3, 4 5 6 7');
  assert.equal(phoneInWords('+31612345678', 'nl'), '0 6, 1 2, 3 4, 5 6, 7 8');
  assert.equal(phoneInWords('+442079460958', 'en'), 'plus 4 4, 2 0, 7 9 4 6, 0 9 5 8');
});
