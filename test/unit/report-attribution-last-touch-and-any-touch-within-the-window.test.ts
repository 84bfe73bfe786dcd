import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ActionTable, type Outcome, type Touch } from '../../src/reports/attribution.ts';

const touch = (id: number, key: string, at: string, o: Partial<Touch> = {}): Touch => ({ id, key, at, inScope: true, reached: false, costCents: 0, claimIds: [1], ...o });
const paid = (day: string, cents: number, full = true): Outcome => ({ kind: full ? 'paidFull' : 'paidPartial', at: `${day}T23:59:59.999Z`, cents });
const row = (t: ActionTable, action: string) => t.result().rows.find((r) => r.action === action)!;

test('a payment goes whole to the last action before it, and to every action type in the window for any touch', () => {
  const t = new ActionTable(14);
  // SMS day 1, e-mail day 1 (later), IVR day 4; paid in full on day 6: the IVR call was the last touch.
  t.addDebtor(
    [touch(1, 'sms', '2026-11-02T08:00:00Z', { reached: true, costCents: 7 }), touch(2, 'email', '2026-11-02T08:01:00Z', { costCents: 1 }), touch(3, 'call_ivr', '2026-11-05T09:00:00Z', { reached: true, costCents: 4 })],
    [paid('2026-11-07', 12_000)],
  );
  const { rows, total } = t.result();
  assert.deepEqual(rows.map((r) => r.action), ['sms', 'email', 'whatsapp', 'call_ivr', 'call_agent'], 'the five channels always, externals when done');
  assert.deepEqual(row(t, 'call_ivr').collectedCents, { lastTouch: 12_000, anyTouch: 12_000 });
  assert.deepEqual(row(t, 'sms').collectedCents, { lastTouch: 0, anyTouch: 12_000 });
  assert.deepEqual([row(t, 'call_ivr').withResult, row(t, 'call_ivr').results.paidFull, row(t, 'call_ivr').scorePct], [1, 1, 100]);
  assert.equal(row(t, 'sms').withResult, 0);
  assert.deepEqual(total.collectedCents, { lastTouch: 12_000, anyTouch: 12_000 }, 'the total counts the payment once');
  assert.deepEqual([total.executed, total.withResult, total.contactsReached, total.costCents], [3, 1, 2, 12]);
  assert.equal(total.scorePct, 33.3);
  assert.equal(row(t, 'call_ivr').costPerEuroCollectedCents, 0.03, '4 cents for €120: 0.033 cents per euro, two decimals');
  assert.equal(total.costPerInvoiceCents, 12, 'one invoice, 12 cents spent on it');
});

test('outside the window, after the outcome, or out of the filter: not credited; the strongest result counts once', () => {
  const t = new ActionTable(14);
  t.addDebtor(
    [
      touch(1, 'external:letter', '2026-10-01T12:00:00Z', { costCents: 150 }), // 15 days before the payment: outside
      touch(2, 'sms', '2026-10-02T08:00:00Z', { inScope: false }), // another campaign: the last touch of the promise, not credited
      touch(3, 'call_agent', '2026-10-10T10:00:00Z', { reached: true }),
      touch(4, 'sms', '2026-10-16T19:00:00Z'), // after the payment's day? No: same day, counts (booking day's end)
      touch(5, 'email', '2026-10-17T08:00:00Z'), // after everything
    ],
    [
      { kind: 'promise', at: '2026-10-02T09:00:00Z', cents: 0 },
      { kind: 'promise', at: '2026-10-10T10:05:00Z', cents: 0 },
      paid('2026-10-16', 5_000, false),
    ],
  );
  assert.deepEqual(row(t, 'external:letter').collectedCents, { lastTouch: 0, anyTouch: 0 }, '15 days is past the 14-day window');
  assert.equal(row(t, 'external:letter').costPerEuroCollectedCents, null, 'nothing collected: no ratio');
  assert.deepEqual([row(t, 'call_agent').withResult, row(t, 'call_agent').results.promise], [1, 1]);
  assert.deepEqual(row(t, 'sms').executed, 1, 'the out-of-filter SMS is not counted');
  assert.deepEqual([row(t, 'sms').results.paidPartial, row(t, 'sms').collectedCents.lastTouch], [1, 5_000]);
  assert.deepEqual(row(t, 'call_agent').collectedCents, { lastTouch: 0, anyTouch: 5_000 });
  assert.equal(row(t, 'email').collectedCents.anyTouch, 0, 'an action after the payment gets none of it');
  assert.deepEqual(t.result().total.results, { paidFull: 0, paidPartial: 1, arrangement: 0, promise: 1 });
  assert.deepEqual(t.result().total, t.result().total, 'reading the result twice gives the same');
});
