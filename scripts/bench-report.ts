/**
 * Issue 13 benchmark: the score per action (GET /reports/actions) over N recorded actions
 * (goal: 10,000,000 actions in ≤ 2 s).
 *
 *   node --import tsx scripts/bench-report.ts [--actions 10000000] [--keep]
 *
 * Seeded in SQL (untimed) into a temporary SQLite file: N/10 debtors with one claim each and
 * ten executed actions over ten days (SMS ×3, e-mail ×3, IVR ×2, agent, letter), each message
 * action with its message (delivered, one part), a call for a third of the call actions (half
 * answered, 90 s), a payment for one debtor in five (half of them in full), a promise for one
 * in twenty. Then the report is run twice (cold, then warm page cache) over all days, and once
 * filtered to one strategy segment; wall time and the process's peak RSS are printed.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openSqliteStore, sqliteHandle } from '../src/store/sqlite.ts';
import { FakeClock } from '../src/lib/clock.ts';
import { ReportService } from '../src/reports/service.ts';

const { values } = parseArgs({ options: { actions: { type: 'string' }, keep: { type: 'boolean' } } });
const N = Number(values.actions ?? 10_000_000);
const DEBTORS = Math.ceil(N / 10);
const AT = '2026-11-01T00:00:00.000Z';

const dir = mkdtempSync(join(tmpdir(), 'bereik-bench-report-'));
const path = join(dir, 'bereik.sqlite');
const store = openSqliteStore(path);
const db = sqliteHandle(store);
db.pragma('foreign_keys = OFF');
db.pragma('synchronous = OFF');

const t0 = performance.now();
const seq = (n: number) => `WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ${n})`;
db.exec(`${seq(DEBTORS)} INSERT INTO debtors (id, external_ref, name, created_at, updated_at) SELECT i, 'D' || i, 'Debiteur ' || i, '${AT}', '${AT}' FROM s`);
db.exec(`INSERT INTO claims (id, debtor_id, creditor, invoice_ref, amount_cents, paid_cents, created_at, updated_at) SELECT id, id, 'Energie BV', 'F' || id, 20000, 0, '${AT}', '${AT}' FROM debtors`);
db.exec(`INSERT INTO campaigns (id, name, mode, state, caller_id, settings, created_at, updated_at) VALUES (1, 'Strategy: Default (IVR)', 'agentless', 'running', '+31201234567', '{}', '${AT}', '${AT}')`);
// The ten steps of a debtor: k → action, day.
const ks = `SELECT column1 AS k, column2 AS action FROM (VALUES (0,'sms'),(1,'email'),(2,'call_ivr'),(3,'sms'),(4,'email'),(5,'call_agent'),(6,'external'),(7,'sms'),(8,'email'),(9,'call_ivr'))`;
const day = (k: string) => `date('2026-11-02', '+' || ${k} || ' days')`;
db.exec(`INSERT INTO messages (id, channel, source, debtor_id, to_addr, sender, body, parts, status, next_attempt_at, created_at, submitted_at, updated_at)
  SELECT d.id * 10 + k.k, k.action, 'strategy', d.id, '+31612345678', 'number:+3197010587400', 'Betaal', 1, 'delivered', '${AT}', '${AT}', '${AT}', '${AT}'
    FROM debtors d, (${ks}) k WHERE k.action IN ('sms', 'email')`);
db.exec(`INSERT INTO contacts (id, campaign_id, claim_id, debtor_id, created_at, updated_at) SELECT id, 1, id, id, '${AT}', '${AT}' FROM debtors`);
db.exec(`INSERT INTO actions (id, debtor_id, strategy_id, strategy_version, arm, segment, step_index, action, kind, channel, claim_ids, open_cents, planned_for, status,
    message_id, campaign_id, contact_id, created_at, executed_at)
  SELECT d.id * 10 + k.k, d.id, 'default', 1, 'champion', CASE WHEN d.id % 3 = 0 THEN 'small' ELSE 'medium' END, k.k, k.action,
         CASE WHEN k.action = 'external' THEN 'letter' END,
         CASE k.action WHEN 'sms' THEN 'sms' WHEN 'email' THEN 'email' WHEN 'external' THEN 'external' ELSE 'phone' END,
         '[' || d.id || ']', 20000, ${day('k.k')}, 'executed',
         CASE WHEN k.action IN ('sms', 'email') THEN d.id * 10 + k.k END,
         CASE WHEN k.action LIKE 'call%' THEN 1 END, CASE WHEN k.action LIKE 'call%' THEN d.id END,
         '${AT}', ${day('k.k')} || 'T07:00:00.000Z'
    FROM debtors d, (${ks}) k`);
db.exec(`INSERT INTO calls (id, direction, campaign_id, contact_id, debtor_id, state, disposition, created_at, answered_at, ended_at)
  SELECT 'c' || a.id, 'outbound', 1, a.contact_id, a.debtor_id, 'ended', CASE WHEN a.debtor_id % 2 = 0 THEN 'answered' ELSE 'no_answer' END,
         a.planned_for || 'T09:00:00.000Z', CASE WHEN a.debtor_id % 2 = 0 THEN a.planned_for || 'T09:00:00.000Z' END, a.planned_for || 'T09:01:30.000Z'
    FROM actions a WHERE a.action LIKE 'call%' AND a.id % 3 = 0`);
db.exec(`INSERT INTO payments (claim_id, debtor_id, amount_cents, booked_on, source, external_id, matched_by, status, created_at, updated_at)
  SELECT id, id, CASE WHEN id % 10 = 0 THEN 20000 ELSE 5000 END, date('2026-11-02', '+' || (id % 12) || ' days'), 'api', 'p' || id, 'claim_id', 'matched', '${AT}', '${AT}'
    FROM debtors WHERE id % 5 = 0`);
db.exec(`INSERT INTO dispositions (claim_id, kind, promise_date, created_at) SELECT id, 'promise_to_pay', '2026-11-20', date('2026-11-02', '+' || (id % 9) || ' days') || 'T10:00:00.000Z' FROM debtors WHERE id % 20 = 1`);
const count = db.prepare(`SELECT count(*) FROM actions`).pluck().get() as number;
const seeded = (performance.now() - t0) / 1000;
console.log(`seeded ${count.toLocaleString('en')} actions, ${DEBTORS.toLocaleString('en')} debtors in ${seeded.toFixed(1)} s; database ${(statSync(path).size / 1e9).toFixed(2)} GB`);

const reports = new ReportService({ store, clock: new FakeClock('2026-11-30T12:00:00Z') });
const run = async (label: string, f: Parameters<ReportService['actions']>[0]) => {
  const t = performance.now();
  const r = await reports.actions(f);
  const s = (performance.now() - t) / 1000;
  console.log(`${label}: ${s.toFixed(2)} s; executed ${r.total.executed.toLocaleString('en')}, with a result ${r.total.withResult.toLocaleString('en')}, collected €${(r.total.collectedCents.lastTouch / 100).toLocaleString('en')}`);
};
await run('report, cold', { from: '2026-11-01', to: '2026-11-30' });
await run('report, warm', { from: '2026-11-01', to: '2026-11-30' });
await run('report, segment small', { from: '2026-11-01', to: '2026-11-30', segment: 'small' });
console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
store.close();
if (values.keep) console.log(`kept ${path}`);
else rmSync(dir, { recursive: true, force: true });
