/**
 * A database that has actions from before migration 018 (or a changed attribution window)
 * gets its rollup built after the service starts, a batch of debtors per transaction with its
 * progress logged; until then the report answers from the exact path and says why, and a
 * window other than the rollup's always does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { FakeClock } from '../../src/lib/clock.ts';
import { createLogger } from '../../src/lib/log.ts';
import { DEFAULT_REPORT_SETTINGS } from '../../src/reports/actions.ts';
import { ReportService } from '../../src/reports/service.ts';
import { sqliteHandle } from '../../src/store/sqlite.ts';
import { memoryStore, seedDebtor } from '../helpers/messages.ts';

test('the rollup of existing data is built in logged batches; meanwhile, and for another window, the report is exact and says so', async () => {
  const store = memoryStore();
  const db = sqliteHandle(store);
  const clock = new FakeClock('2026-11-20T10:00:00Z');
  db.transaction(() => {
    for (let i = 0; i < 40; i++) {
      const d = seedDebtor(store, { claims: [{ cents: 10_000 }] });
      for (const [k, action] of (['sms', 'email', 'sms'] as const).entries()) {
        const day = `2026-11-0${2 + k * 3}`;
        db.prepare(`INSERT INTO actions (debtor_id, strategy_id, strategy_version, arm, segment, step_index, action, channel, claim_ids, open_cents, planned_for, status, created_at, executed_at)
          VALUES (?, 'default', 1, 'champion', 'small', ?, ?, ?, ?, 10000, ?, 'executed', ?, ?)`).run(d.debtorId, k, action, action, `[${d.claimIds[0]}]`, day, `${day}T08:00:00.000Z`, `${day}T08:00:00.000Z`);
      }
      if (i % 4 === 0) db.prepare(`INSERT INTO payments (claim_id, debtor_id, amount_cents, booked_on, source, external_id, matched_by, status, created_at, updated_at) VALUES (?, ?, 10000, '2026-11-09', 'api', ?, 'claim_id', 'matched', 'x', 'x')`).run(d.claimIds[0], d.debtorId, `p${i}`);
    }
  })();
  const rollup = store.actionReports.rollup;
  // As a database migrated to 018 with these rows already in it: nothing rolled up yet.
  rollup.reset(14, '2026-11-20T10:00:00.000Z');
  const reports = new ReportService({ store, clock });
  const period = { from: '2026-11-01', to: '2026-11-20' };
  const exact = await reports.actions(period);
  assert.deepEqual(exact.source, { path: 'exact', reason: 'attributed at query time: the rollup is still being built (0 % of debtors)' });
  assert.equal(exact.total.executed, 120);

  const lines: Array<{ msg: string; pct?: number }> = [];
  const log = createLogger({ level: 'info', destination: new Writable({ write: (chunk, _e, done) => (lines.push(JSON.parse(String(chunk))), done()) }) });
  await reports.buildRollup(log, { batchDebtors: 7, progressEveryMs: 0 }).finished;
  assert.match(lines[0]!.msg, /building from existing data in the background; until it is complete the report attributes at query time/);
  const progress = lines.filter((l) => l.msg === 'score-per-action rollup: building').map((l) => l.pct);
  assert.ok(progress.length >= 5, `a line per batch here (${progress.length})`);
  assert.deepEqual(progress, [...progress].sort((a, b) => a! - b!), 'progress only grows');
  assert.match(lines.at(-1)!.msg, /complete; the report reads it/);

  const fast = await reports.actions(period);
  assert.deepEqual(fast.source, { path: 'rollup', reason: 'the rollup kept for the configured 14-day window' });
  assert.deepEqual({ rows: fast.rows, total: fast.total }, { rows: exact.rows, total: exact.total });
  // A filter the rollup has no dimension for (say a creditor scope) is answered exactly too.
  const scoped = await reports.actions({ ...period, creditors: ['Energie BV'] } as Parameters<ReportService['actions']>[0]);
  assert.deepEqual(scoped.source, { path: 'exact', reason: 'attributed at query time: filtered by creditors, which the rollup does not keep' });
  const week = await reports.actions({ ...period, attributionDays: 7 });
  assert.deepEqual(week.source, { path: 'exact', reason: 'attributed at query time: attributionDays 7 is not the rollup\'s 14' });

  // The configured window changes to 7 days: the next start builds it again for 7.
  const seven = new ReportService({ store, clock, settings: { ...DEFAULT_REPORT_SETTINGS, attributionDays: 7 } });
  await seven.buildRollup(log, { batchDebtors: 100 }).finished;
  assert.ok(lines.some((l) => /the attribution window changed, building it again/.test(l.msg)));
  const again = await seven.actions(period);
  assert.equal(again.source.path, 'rollup');
  assert.deepEqual({ rows: again.rows, total: again.total }, { rows: week.rows, total: week.total });
});
