import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseReply } from '../../src/messaging/replies/parse.ts';
import { CONFIRMATIONS, MAX_CREDITOR_CHARS, confirmationFor, promiseConfirmationFor } from '../../src/messaging/replies/confirmations.ts';
import { GSM_BASIC, nonGsmChars, septets } from './gsm-alphabet.ts';

const CREDITOR = 'Woningstichting Noord';

test('the GSM check itself knows the 127 basic characters and refuses what needs UCS-2', () => {
  assert.equal(new Set(GSM_BASIC).size, 127);
  assert.deepEqual(nonGsmChars('Betaal € 12,50 à Ä é'), []);
  assert.deepEqual(nonGsmChars('Betáald ë 👍'), ['á', 'ë', '👍']);
  assert.equal(septets('€ 1'), 4);
});

test('each recognised reply is confirmed in Dutch by default', () => {
  const rows: [string, string][] = [
    ['BETAALD', 'Dank u. We controleren uw betaling en nemen contact op als er iets niet klopt.'],
    ['REGELING', 'We bellen u binnen 2 werkdagen over een betalingsregeling.'],
    ['BEL MIJ', 'We bellen u binnen 2 werkdagen terug.'],
    ['STOP', 'U ontvangt geen sms meer van Woningstichting Noord over deze vordering.'],
    ['afmelden', 'U ontvangt geen sms meer van Woningstichting Noord over deze vordering.'],
  ];
  for (const [reply, text] of rows) assert.equal(confirmationFor(parseReply(reply), { creditor: CREDITOR })?.text, text, reply);
});

test('English when the debtor is English or answered in English', () => {
  assert.equal(
    confirmationFor(parseReply('already paid'), { creditor: CREDITOR, debtorLanguage: 'nl' })?.text,
    'Thank you. We will check your payment and contact you if anything is not right.',
  );
  const stop = confirmationFor(parseReply('STOP'), { creditor: CREDITOR, debtorLanguage: 'en' });
  assert.deepEqual(stop, { lang: 'en', intent: 'stop', text: 'You will receive no more text messages from Woningstichting Noord about this claim.' });
  assert.equal(confirmationFor(parseReply('call me'), { creditor: CREDITOR })?.lang, 'en');
  assert.equal(confirmationFor(parseReply('STOP'), { creditor: CREDITOR })?.lang, 'nl', 'STOP is both languages: the default');
});

test('a numbered option is confirmed as what it means; the working days are configurable', () => {
  const reply = parseReply('2', { options: [{ digit: '1', intent: 'paid' }, { digit: '2', intent: 'arrangement' }] });
  assert.equal(confirmationFor(reply, { creditor: CREDITOR, callbackWorkingDays: 3 })?.text, 'We bellen u binnen 3 werkdagen over een betalingsregeling.');
});

test('free text gets no confirmation: a person answers it', () => {
  for (const text of ['ik heb niet betaald', 'waarom?', '', '1', 'niet stoppen']) {
    assert.equal(confirmationFor(parseReply(text), { creditor: CREDITOR }), null, text);
  }
});

test('every confirmation is GSM-7 and one SMS, even with the longest creditor name', () => {
  const longName = 'Stichting Woningcorporatie Groot-Amsterdam Noord en Omstreken Beheer B.V.';
  for (const lang of ['nl', 'en'] as const) {
    for (const intent of Object.keys(CONFIRMATIONS[lang]) as (keyof (typeof CONFIRMATIONS)['nl'])[]) {
      const c = confirmationFor({ intent, confidence: 1, normalized: intent }, { creditor: longName, debtorLanguage: lang })!;
      assert.deepEqual(nonGsmChars(c.text), [], `${lang} ${intent}`);
      assert.ok(septets(c.text) <= 160, `${lang} ${intent}: ${septets(c.text)} septets`);
      if (intent === 'stop') assert.ok(c.text.includes(longName.slice(0, MAX_CREDITOR_CHARS).trim()), c.text);
    }
  }
});

test('a creditor name pasted with a line break stays on one line', () => {
  const c = confirmationFor(parseReply('STOP'), { creditor: 'Incasso\r\n  Noord' });
  assert.equal(c?.text, 'U ontvangt geen sms meer van Incasso Noord over deze vordering.');
});

test('a promise confirmation names the date, is GSM-7 and one SMS on the longest date, in the debtor\'s language', () => {
  assert.deepEqual(promiseConfirmationFor(parseReply('Ik betaal vrijdag'), '2026-12-11', {}), { lang: 'nl', text: 'Dank u. We noteren dat u uiterlijk vrijdag 11 december betaalt.' });
  assert.deepEqual(promiseConfirmationFor(parseReply('I will pay on Friday'), '2026-12-11', {}), { lang: 'en', text: 'Thank you. We have noted that you will pay by Friday 11 December.' });
  assert.equal(promiseConfirmationFor(parseReply('Ik betaal vrijdag'), '2026-12-11', { debtorLanguage: 'en' }).lang, 'en');
  // The longest weekday and month names.
  for (const lang of ['nl', 'en'] as const) {
    const { text } = promiseConfirmationFor(parseReply('x'), '2026-09-30', { debtorLanguage: lang === 'en' ? 'en' : 'nl' });
    assert.deepEqual(nonGsmChars(text), [], text);
    assert.ok(septets(text) <= 160, text);
  }
});
