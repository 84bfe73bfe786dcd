/**
 * The rollup (migration 018) follows writes that change an outcome's attribution after the
 * fact, in the write's own transaction: a letter imported with a past date becomes the last
 * touch of a payment an IVR call held, and a payment file booked on an earlier day turns the
 * claim's existing full payment into a partial one. After each write nothing is left for the
 * report to recompute, the rollup already says it, and the report (read from the rollup)
 * equals the exact path.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { PaymentService } from '../../src/payments/service.ts';
import { blankEntry } from '../../src/payments/types.ts';
import { ActionReports, DEFAULT_REPORT_SETTINGS } from '../../src/reports/actions.ts';
import { ReportService } from '../../src/reports/service.ts';
import { sqliteHandle } from '../../src/store/sqlite.ts';
import { memoryStore, seedDebtor } from '../helpers/messages.ts';

test('a letter imported with a past date and a back-dated payment file re-attribute the payments in the same transaction', async () => {
  const store = memoryStore();
  const db = sqliteHandle(store);
  const clock = new FakeClock('2026-11-20T10:00:00Z');
  const payments = new PaymentService({ store, clock, log: silentLogger() });
  const reports = new ReportService({ store, clock });
  const exact = new ActionReports({ store, clock, settings: DEFAULT_REPORT_SETTINGS, exactOnly: true });
  const d = seedDebtor(store, { claims: [{ cents: 10_000 }] });
  const ref = db.prepare(`SELECT external_ref FROM debtors WHERE id = ?`).pluck().get(d.debtorId) as string;
  const action = (action: string, day: string) =>
    db.prepare(`INSERT INTO actions (debtor_id, strategy_id, strategy_version, arm, segment, step_index, action, channel, claim_ids, open_cents, planned_for, status, created_at, executed_at)
      VALUES (?, 'default', 1, 'champion', 'small', 0, ?, ?, ?, 10000, ?, 'executed', ?, ?)`).run(d.debtorId, action, action === 'sms' ? 'sms' : 'phone', `[${d.claimIds[0]}]`, day, `${day}T08:00:00.000Z`, `${day}T08:00:00.000Z`);
  db.transaction(() => {
    action('sms', '2026-11-02');
    action('call_ivr', '2026-11-05');
  })();
  const pay = (externalId: string, bookedOn: string) =>
    payments.apply({ ...blankEntry('api', 'test'), externalId, amountCents: 10_000, bookedOn, claimId: d.claimIds[0]! }, null, isoNow());
  const isoNow = () => new Date(clock.now()).toISOString();
  const dirty = () => db.prepare(`SELECT count(*) FROM action_rollup_dirty`).pluck().get() as number;
  const period = { from: '2026-11-01', to: '2026-11-20' };
  // What the rollup holds right after the write: no report has run to recompute anything.
  const held = () => {
    const { rows } = store.actionReports.rollup.read(period);
    return Object.fromEntries([...rows].filter(([, r]) => r.executed).map(([k, r]) => [k, `${r.withResult}:${r.paidFull}/${r.paidPartial}:${r.lastTouchCents}`]));
  };
  const table = async () => {
    const r = await reports.actions(period);
    assert.equal(r.source.path, 'rollup');
    const e = await exact.actions(period);
    assert.deepEqual({ rows: r.rows, total: r.total }, { rows: e.rows, total: e.total }, 'the rollup equals the exact path');
    return Object.fromEntries(r.rows.filter((x) => x.executed).map((x) => [x.action, { with: x.withResult, full: x.results.paidFull, partial: x.results.paidPartial, last: x.collectedCents.lastTouch, any: x.collectedCents.anyTouch }]));
  };

  pay('psp-1', '2026-11-06');
  assert.equal(dirty(), 0, 'the payment was attributed in its own transaction');
  assert.deepEqual(held(), { sms: '0:0/0:0', call_ivr: '1:1/0:10000' });
  assert.deepEqual(await table(), {
    sms: { with: 0, full: 0, partial: 0, last: 0, any: 10_000 },
    call_ivr: { with: 1, full: 1, partial: 0, last: 10_000, any: 10_000 },
  });

  // A letter sent on the 6th, imported on the 20th: noon on the 6th, after the call, before the day's end.
  const imported = reports.importActions(Buffer.from(`debtor_ref;date;kind\n${ref};06-11-2026;letter\n`), 'letters.csv');
  assert.equal(imported.rows, 1);
  assert.equal(dirty(), 0, 'the import re-attributed in its own transaction');
  assert.deepEqual(held(), { sms: '0:0/0:0', call_ivr: '0:0/0:0', 'external:letter': '1:1/0:10000' });
  assert.deepEqual(await table(), {
    sms: { with: 0, full: 0, partial: 0, last: 0, any: 10_000 },
    call_ivr: { with: 0, full: 0, partial: 0, last: 0, any: 10_000 },
    'external:letter': { with: 1, full: 1, partial: 0, last: 10_000, any: 10_000 },
  });

  // A bank file booked on the 3rd arrives late: that payment paid the claim in full; the 6th's is now partial (overpaid).
  pay('bank-1', '2026-11-03');
  assert.equal(dirty(), 0, 'the back-dated payment re-attributed in its own transaction');
  assert.deepEqual(held(), { sms: '1:1/0:10000', call_ivr: '0:0/0:0', 'external:letter': '1:0/1:10000' });
  assert.deepEqual(await table(), {
    sms: { with: 1, full: 1, partial: 0, last: 10_000, any: 20_000 },
    call_ivr: { with: 0, full: 0, partial: 0, last: 0, any: 10_000 },
    'external:letter': { with: 1, full: 0, partial: 1, last: 10_000, any: 10_000 },
  });
});
