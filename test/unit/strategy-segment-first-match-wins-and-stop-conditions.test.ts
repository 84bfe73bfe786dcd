import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StrategyDoc } from '../../src/strategy/schema.ts';
import { segmentOf, stopCondition, type DebtorFacts } from '../../src/strategy/segment.ts';
import { facts, shippedDefault } from './strategy-fixture.ts';

const shipped = shippedDefault();
const TODAY = '2026-11-23';

test('default strategy: the debtor falls in the first segment that matches, over all their open claims', () => {
  const rows: Array<[string, Partial<DebtorFacts>, string]> = [
    ['€120 medium risk', {}, 'small'],
    ['€250,00 exactly (max is inclusive)', { openCents: 25_000 }, 'small'],
    ['€250,01', { openCents: 25_001 }, 'medium'],
    ['two claims of €600 together pass €1000', { openClaims: 2, openCents: 120_000 }, 'high_amount'],
    ['€50 but high risk: risk comes first', { risk: 'high', openCents: 5_000 }, 'high_risk'],
    ['€2000 and high risk', { risk: 'high', openCents: 200_000 }, 'high_risk'],
  ];
  for (const [what, over, segment] of rows) assert.equal(segmentOf(shipped, facts(over), TODAY)?.name, segment, what);
});

test('segments by age since the oldest due date, creditor and language; no match is no segment', () => {
  const s: StrategyDoc = {
    id: 's', name: 'S',
    segments: [
      { name: 'fresh', match: { ageDays: { max: 30 }, language: ['en'] }, steps: [{ day: 0, action: 'sms' }] },
      { name: 'old', match: { ageDays: { min: 90 } }, steps: [{ day: 0, action: 'sms' }] },
      { name: 'gas', match: { creditors: ['Gas BV'] }, steps: [{ day: 0, action: 'sms' }] },
    ],
  };
  const rows: Array<[string, Partial<DebtorFacts>, string | undefined]> = [
    ['22 days, English', { language: 'en' }, 'fresh'],
    ['22 days, Dutch: not fresh (language), not old, not gas', {}, undefined],
    ['due today counts 0 days', { language: 'en', oldestDueDate: TODAY }, 'fresh'],
    ['no due date counts 0 days', { language: 'en', oldestDueDate: null }, 'fresh'],
    ['due in the future counts 0 days', { language: 'en', oldestDueDate: '2026-12-31' }, 'fresh'],
    ['90 days exactly', { oldestDueDate: '2026-08-25' }, 'old'],
    ['89 days', { oldestDueDate: '2026-08-26' }, undefined],
    ['one of the creditors', { creditors: ['Water NV', 'Gas BV'] }, 'gas'],
  ];
  for (const [what, over, segment] of rows) assert.equal(segmentOf(s, facts(over), TODAY)?.name, segment, what);
});

test('stop conditions: paid, a promise until its date, arrangement, dispute, opted out of all, no valid number; each can be turned off', () => {
  const rows: Array<[string, Partial<DebtorFacts>, string | null]> = [
    ['nothing stops', {}, null],
    ['paid in full (no open claim)', { openClaims: 0, openCents: 0 }, 'paid_in_full'],
    ['paid in full (partial payments add up)', { openCents: 0 }, 'paid_in_full'],
    ['promise until tomorrow', { promisedUntil: '2026-11-24' }, 'promise_active'],
    ['promise until today still holds', { promisedUntil: TODAY }, 'promise_active'],
    ['promise date passed: broken, the strategy resumes', { promisedUntil: '2026-11-22' }, null],
    ['arrangement', { arranged: true }, 'arrangement'],
    ['dispute', { disputed: true }, 'dispute'],
    ['opted out of every channel', { optedOutAll: true }, 'opted_out_all'],
    ['every number invalid', { invalidAllNumbers: true }, 'invalid_all_numbers'],
  ];
  for (const [what, over, stop] of rows) assert.equal(stopCondition(shipped, facts(over), TODAY), stop, what);
  const lenient: StrategyDoc = { ...shipped, stopConditions: { invalid_all_numbers: false, dispute: false } };
  assert.equal(stopCondition(lenient, facts({ invalidAllNumbers: true }), TODAY), null, 'turned off: e-mail may still go');
  assert.equal(stopCondition(lenient, facts({ disputed: true, arranged: true }), TODAY), 'arrangement');
});
