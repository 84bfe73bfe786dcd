import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAmount } from '../../src/campaigns/import/amounts.ts';

test('amounts as back offices write them become integer cents', () => {
  const cases: [string, number][] = [
    ['1.234,56', 123456], ['1234,56', 123456], ['1234.56', 123456], ['€ 1.234,56', 123456], ['€1.234,56', 123456],
    ['1,234.56', 123456], ['EUR 12', 1200], ['12 EUR', 1200], ['12,5', 1250], ['0,99', 99], ['1.234.567,89', 123456789],
    ['1,234,567', 123456700], ['1.234.567', 123456700], [' 7 ', 700], ['+15,00', 1500], ['1\u00a0234,56', 123456], ['0.05', 5],
  ];
  for (const [text, cents] of cases) assert.deepEqual(parseAmount(text), { ok: true, value: cents }, text);
});

test('negative, non-numeric, ambiguous and over-precise amounts are refused with a reason', () => {
  const cases: [string, RegExp][] = [
    ['-12,50', /negative/], ['(12,50)', /negative/], ['12,50-', /negative/], ['twaalf', /not a number/], ['=1+2', /not a number/],
    ['', /empty/], ['1.234', /ambiguous/], ['1,234', /ambiguous/], ['12.345', /ambiguous/], ['1234,567', /more than two decimals/],
    ['1.23.45', /misplaced/], ['1,234.5,6', /misplaced|not a number/], ['0', /zero/], ['0,00', /zero/], ['12e3', /not a number/],
  ];
  for (const [text, reason] of cases) {
    const r = parseAmount(text);
    assert.equal(r.ok, false, text);
    if (!r.ok) assert.match(r.reason, reason, text);
  }
});
