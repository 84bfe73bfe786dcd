import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBereikError } from '../../src/lib/errors.ts';
import type { SmsSender } from '../../src/messaging/types.ts';
import { parseReply } from '../../src/messaging/replies/parse.ts';
import { renderSms } from '../../src/messaging/templates/render.ts';
import {
  SMS_TEMPLATES, agentSms, formatEuro, optionsSms, payLinkSms, type ClaimLine, type PayLinkSmsInput,
} from '../../src/messaging/templates/sms.ts';
import { nonGsmChars } from './gsm-alphabet.ts';

const NUMBER: SmsSender = { kind: 'number', value: '+3197010203040' };
const ALPHA: SmsSender = { kind: 'alphanumeric', value: 'IncassoNrd' };
const ONE: ClaimLine[] = [{ invoiceRef: 'F2026-0042', amountCents: 12345 }];
const THREE: ClaimLine[] = [
  { invoiceRef: 'F-101', amountCents: 100000 },
  { invoiceRef: 'F-102', amountCents: 23400 },
  { invoiceRef: 'F-103', amountCents: 56 },
];
const URL = 'https://bereik.example.nl/p/q8Zr3xK2mLp9vT4wYb7NcA';
const base = (over: Partial<PayLinkSmsInput> = {}): PayLinkSmsInput => ({
  lang: 'nl', sender: NUMBER, creditor: 'Woonstad Noord', claims: ONE, payUrl: URL, ...over,
});

test('the pay link SMS in both languages, one claim or several, from a number or a name', () => {
  const rows: [Partial<PayLinkSmsInput>, string][] = [
    [{}, `Woonstad Noord: factuur F2026-0042, € 123,45. Betaal via ${URL}\nAntwoord BETAALD als u al betaald heeft, REGELING voor een betalingsregeling of BEL om gebeld te worden. STOP = geen sms meer`],
    [{ lang: 'en' }, `Woonstad Noord: invoice F2026-0042, €123.45. Pay at ${URL}\nReply PAID if you have already paid, ARRANGEMENT for a payment plan or CALL to be called. STOP = no more texts`],
    [{ claims: THREE }, `Woonstad Noord: 3 facturen (F-101, F-102, F-103), totaal € 1.234,56. Betaal via ${URL}\nAntwoord BETAALD als u al betaald heeft, REGELING voor een betalingsregeling of BEL om gebeld te worden. STOP = geen sms meer`],
    [{ sender: ALPHA, optOut: { phone: '020 123 4567' } }, `Woonstad Noord: factuur F2026-0042, € 123,45. Betaal via ${URL}\nGeen sms meer ontvangen? Bel 020 123 4567`],
    [{ sender: ALPHA, claims: THREE, lang: 'en', optOut: { url: 'https://bereik.example.nl/u/Xy7' } }, `Woonstad Noord: 3 invoices (F-101, F-102, F-103), total €1,234.56. Pay at ${URL}\nNo more texts? Go to https://bereik.example.nl/u/Xy7`],
    [{ sender: ALPHA, optOut: { url: 'https://b.nl/u/1', phone: '020 123 4567' } }, `Woonstad Noord: factuur F2026-0042, € 123,45. Betaal via ${URL}\nGeen sms meer ontvangen? Ga naar https://b.nl/u/1 of bel 020 123 4567`],
  ];
  for (const [over, text] of rows) assert.equal(payLinkSms(base(over)).text, text, JSON.stringify(over));
});

test('many claims or long references: the count and the total, without the list', () => {
  const five = Array.from({ length: 5 }, (_, i) => ({ invoiceRef: `F-${i}`, amountCents: 1000 }));
  assert.match(payLinkSms(base({ claims: five })).text, /^Woonstad Noord: 5 facturen, totaal € 50,00\. /);
  const longRefs = [{ invoiceRef: 'HUUR-2026-000000001-A', amountCents: 1 }, { invoiceRef: 'HUUR-2026-000000002-A', amountCents: 2 }];
  assert.match(payLinkSms(base({ claims: longRefs, lang: 'en' })).text, /^Woonstad Noord: 2 invoices, total €0\.03\. /);
});

test('a message from an alphanumeric sender never invites a reply, and always offers an opt-out', () => {
  const invitation = /\b(antwoord|reply|betaald|regeling|bel om|paid|arrangement|call to|stop)\b/i;
  for (const lang of ['nl', 'en'] as const) {
    for (const claims of [ONE, THREE]) {
      for (const optOut of [{ phone: '0201234567' }, { url: 'https://b.nl/u/1' }]) {
        const { key, text } = payLinkSms(base({ lang, claims, sender: ALPHA, optOut }));
        assert.equal(key, 'paylink_noreply');
        assert.doesNotMatch(text, invitation, text);
        assert.ok(text.includes(optOut.phone ?? optOut.url!), text);
      }
    }
    assert.doesNotMatch(SMS_TEMPLATES[lang].paylink_noreply, invitation);
  }
  assert.throws(() => payLinkSms(base({ sender: ALPHA })), (e) => isBereikError(e, 'SMS_TEMPLATE_INVALID') && /optOut\.url or optOut\.phone/.test(e.message));
  assert.throws(() => optionsSms({ ...base({ sender: ALPHA, optOut: { phone: '0201234567' } }), options: ['paid'] }), (e) => isBereikError(e, 'SMS_TEMPLATE_INVALID') && /cannot receive replies/.test(e.message));
});

test('the keywords a message invites are the ones the reply parser understands', () => {
  const expected = { BETAALD: 'paid', REGELING: 'arrangement', BEL: 'callback', STOP: 'stop', PAID: 'paid', ARRANGEMENT: 'arrangement', CALL: 'callback' };
  for (const lang of ['nl', 'en'] as const) {
    const invited = payLinkSms(base({ lang })).text.match(/\b[A-Z]{3,}\b/g)!;
    assert.ok(invited.length >= 4, invited.join());
    for (const word of invited) assert.equal(parseReply(word).intent, expected[word as keyof typeof expected], `${lang}: ${word}`);
  }
});

test('numbered options come back for the parser, and a reply picks one', () => {
  const sms = optionsSms({ ...base(), options: ['paid', 'arrangement', 'callback'] });
  assert.equal(sms.text, `Woonstad Noord: factuur F2026-0042, € 123,45. Betaal via ${URL}\nAntwoord 1 = ik heb al betaald, 2 = betalingsregeling, 3 = bel mij. STOP = geen sms meer`);
  assert.deepEqual(sms.options, [{ digit: '1', intent: 'paid' }, { digit: '2', intent: 'arrangement' }, { digit: '3', intent: 'callback' }]);
  assert.deepEqual([parseReply('2', sms).intent, parseReply('2', sms).option], ['option', 'arrangement']);
  const en = optionsSms({ ...base({ lang: 'en' }), options: ['callback', 'paid'] });
  assert.match(en.text, /Reply 1 = call me, 2 = I have already paid\. STOP = no more texts$/);
  assert.throws(() => optionsSms({ ...base(), options: [] }), /1 to 9 different intents/);
  assert.throws(() => optionsSms({ ...base(), options: ['paid', 'paid'] }), /1 to 9 different intents/);
});

test('every template is GSM-7 when its values are', () => {
  for (const lang of ['nl', 'en'] as const) {
    const texts: string[] = [
      payLinkSms(base({ lang })).text,
      payLinkSms(base({ lang, claims: THREE })).text,
      payLinkSms(base({ lang, sender: ALPHA, optOut: { url: 'https://b.nl/u/1', phone: '020 123 4567' } })).text,
      optionsSms({ ...base({ lang }), options: ['paid', 'arrangement', 'callback', 'stop'] }).text,
    ];
    for (const text of texts) assert.deepEqual(nonGsmChars(text), [], text);
  }
});

test('amounts are formatted from integer cents, Dutch and English', () => {
  const rows: [number, string, string][] = [
    [0, '€ 0,00', '€0.00'], [5, '€ 0,05', '€0.05'], [12345, '€ 123,45', '€123.45'], [100000, '€ 1.000,00', '€1,000.00'],
    [123456, '€ 1.234,56', '€1,234.56'], [123456789, '€ 1.234.567,89', '€1,234,567.89'],
  ];
  for (const [cents, nl, en] of rows) assert.deepEqual([formatEuro(cents, 'nl'), formatEuro(cents, 'en')], [nl, en], String(cents));
  for (const bad of [-1, 12.5, Number.NaN]) assert.throws(() => formatEuro(bad, 'nl'), RangeError);
});

test('bad values are refused with the template and the value named', () => {
  const refused: [Partial<PayLinkSmsInput>, RegExp][] = [
    [{ claims: [] }, /sms "paylink_reply" \(nl\): no claims given/],
    [{ claims: [{ invoiceRef: 'F-9', amountCents: 0 }] }, /claims\[0\] \(F-9\): amountCents must be a whole number of cents above 0, got 0/],
    [{ claims: [{ invoiceRef: 'F-9', amountCents: 12.5 }] }, /got 12\.5/],
    [{ payUrl: 'www.betaal.nl/x' }, /payUrl must be one http\(s\) link/],
    [{ payUrl: 'https://a.nl/p/1 https://evil.example' }, /payUrl must be one http\(s\) link/],
    [{ creditor: ' \n ' }, /no value for \{creditor\}/],
  ];
  for (const [over, message] of refused) {
    assert.throws(() => payLinkSms(base(over)), (e) => isBereikError(e, 'SMS_TEMPLATE_INVALID') && message.test(e.message), JSON.stringify(over));
  }
});

test('the renderer refuses unknown placeholders by name and keeps values on one line', () => {
  assert.throws(
    () => renderSms('Hallo {naam}, betaal {amount}', { amount: '€ 1' }, 'sms "test" (nl)'),
    (e) => isBereikError(e, 'SMS_TEMPLATE_INVALID') && e.message === 'sms "test" (nl): unknown placeholder {naam} (known here: {amount})' && (e.details as { placeholder: string }).placeholder === 'naam',
  );
  assert.throws(() => renderSms('Hallo {creditor', { creditor: 'X' }, 't'), /without its partner/);
  assert.equal(renderSms('{creditor}: betaal', { creditor: 'Incasso\r\nNoord \n\n B.V.' }, 't'), 'Incasso Noord B.V.: betaal');
  assert.equal(renderSms('{a} en {b}', { a: '{b}', b: 'twee' }, 't'), '{b} en twee', 'a value is inserted once, never rendered again');
  assert.equal(renderSms('<b>{a}</b> & co', { a: '"x" & <y>' }, 't'), '<b>"x" & <y></b> & co', 'plain text: nothing escaped');
});

test('an agent’s own text is sent as written, only trimmed', () => {
  assert.equal(agentSms('  Beste meneer, {creditor} belt u morgen.\nGroet, Anna \n'), 'Beste meneer, {creditor} belt u morgen.\nGroet, Anna');
  assert.throws(() => agentSms(' \n '), (e) => isBereikError(e, 'SMS_TEMPLATE_INVALID'));
});
