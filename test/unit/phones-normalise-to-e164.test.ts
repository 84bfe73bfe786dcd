import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { PhoneNormaliser } from '../../src/campaigns/import/phones.ts';

test('Dutch numbers in the usual spellings become E.164', () => {
  const nl = new PhoneNormaliser('NL');
  const cases: [string, string][] = [
    ['06-12345678', '+31612345678'], ['0612345678', '+31612345678'], ['06 1234 5678', '+31612345678'], ['0031 6 12345678', '+31612345678'],
    ['+31 (0)6 12345678', '+31612345678'], ['+31612345678', '+31612345678'], ['(020) 123 4567', '+31201234567'], ['010-1234567', '+31101234567'],
    ['+44 20 7946 0958', '+442079460958'], ['+1 212 555 0100', '+12125550100'], ['0800-1234', '+318001234'],
  ];
  for (const [text, e164] of cases) assert.deepEqual(nl.normalise(text), { ok: true, value: e164 }, text);
});

test('invalid numbers are refused with the reason', () => {
  const nl = new PhoneNormaliser('NL');
  const cases: [string, RegExp][] = [
    ['06-1234', /not a valid NL number|too short/], ['06-1', /too short/], ['bel mij', /letters/], ['06-123456789012', /too long|invalid length|not a valid/],
    ['+999 1234', /unknown country code/], ['06-00000000', /not a valid NL number/],
  ];
  for (const [text, reason] of cases) {
    const r = nl.normalise(text);
    assert.equal(r.ok, false, text);
    if (!r.ok) assert.match(r.reason, reason, text);
  }
});

test('the default country decides how national numbers are read', () => {
  assert.deepEqual(new PhoneNormaliser('BE').normalise('0470 12 34 56'), { ok: true, value: '+32470123456' });
  assert.deepEqual(new PhoneNormaliser('DE').normalise('030 12345678'), { ok: true, value: '+493012345678' });
});

test('the fast path agrees with libphonenumber-js on every number it accepts (10,000 generated NL numbers)', () => {
  const nl = new PhoneNormaliser('NL');
  let s = 7;
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  for (let i = 0; i < 10_000; i++) {
    const digits = String(Math.floor(rnd() * 1e9)).padStart(9, '0');
    const form = ['0' + digits, '+31' + digits, '0031 ' + digits, '+31 (0)' + digits][i % 4]!;
    const ours = nl.normalise(form);
    const lib = parsePhoneNumberFromString(form, 'NL');
    const theirs = lib?.isValid() ? lib.number : undefined;
    assert.equal(ours.ok ? ours.value : undefined, theirs, form);
  }
});
