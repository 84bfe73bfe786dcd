import { test } from 'node:test';
import assert from 'node:assert/strict';
import { amountWords, cardinalWords, dateWords, phoneWords, spelledWords, WORD_KEYS } from '../../src/recordings/number-words.ts';
import { dutchCardinal } from '../../src/tts/words-nl.ts';
import { englishCardinal } from '../../src/tts/words-en.ts';

const say = (keys: string[] | null, lang: 'nl' | 'en') => keys?.map((k) => WORD_KEYS.get(k)![lang]).join(' ');

test('Dutch numbers are composed like Asterisk SayNumber: een-en-twintig, twaalf-honderd, duizend without een', () => {
  const table: Array<[number, string]> = [
    [0, 'nul'],
    [7, 'zeven'],
    [20, 'twintig'],
    [21, 'één en twintig'],
    [22, 'twee en twintig'],
    [99, 'negen en negentig'],
    [100, 'honderd'],
    [101, 'honderd één'],
    [250, 'twee honderd vijftig'],
    [1000, 'duizend'],
    [1234, 'twaalf honderd vier en dertig'],
    [2026, 'twee duizend zes en twintig'],
    [21_000, 'één en twintig duizend'],
    [1_500_000, 'één miljoen vijf honderd duizend'],
  ];
  for (const [n, words] of table) assert.equal(say(cardinalWords(n, 'nl'), 'nl'), words, String(n));
});

test('every Dutch number up to 100 000 says the same words as the synthesised text', () => {
  // Joined without spaces (and with the trema where e meets e), the recorded words are the spelling TTS gets.
  const spell = (n: number) => say(cardinalWords(n, 'nl'), 'nl')!.replace(/ /g, '').replace(/é/g, 'e');
  for (let n = 1; n <= 100_000; n++) {
    const written = dutchCardinal(n).replace(/ /g, '').replace(/ë/g, 'e').replace(/é/g, 'e');
    assert.equal(spell(n), written, String(n));
  }
});

test('English numbers: twenty one, one hundred, one thousand; the same words as the synthesised text', () => {
  assert.equal(say(cardinalWords(21, 'en'), 'en'), 'twenty one');
  assert.equal(say(cardinalWords(1234, 'en'), 'en'), 'one thousand two hundred thirty four');
  for (let n = 1; n <= 20_000; n++) assert.equal(say(cardinalWords(n, 'en'), 'en'), englishCardinal(n).replace(/-/g, ' '), String(n));
});

test('amounts, dates and digits; what the words cannot say is null (synthesised whole)', () => {
  assert.equal(say(amountWords(1234_56, 'nl'), 'nl'), 'twaalf honderd vier en dertig euro en zes en vijftig cent');
  assert.equal(say(amountWords(250_00, 'nl'), 'nl'), 'twee honderd vijftig euro');
  assert.equal(say(amountWords(101, 'en'), 'en'), 'one euro and one cent');
  assert.equal(say(amountWords(250, 'en'), 'en'), 'two euros and fifty cents');
  assert.equal(say(amountWords(75, 'nl'), 'nl'), 'vijf en zeventig cent');
  assert.equal(amountWords(100, 'nl', 'GBP'), null, 'no pound words: synthesised');
  assert.equal(say(dateWords('2026-12-31', 'nl'), 'nl'), 'één en dertig december twee duizend zes en twintig');
  assert.equal(say(dateWords('2026-03-01', 'en'), 'en'), 'one March two thousand twenty six');
  assert.equal(say(phoneWords('+31201234567', 'nl'), 'nl'), 'nul twee nul één twee drie vier vijf zes zeven');
  assert.equal(phoneWords('+441234567890', 'nl'), null, '"plus" is not a recorded word');
  assert.equal(spelledWords('F2026-001', 'nl'), null, 'letters and dashes are not recorded words');
  assert.equal(cardinalWords(1e9, 'nl'), null);
});
