/**
 * Issue 13 benchmark: the score per action (GET /reports/actions) over N recorded actions
 * (goal: 10,000,000 actions in ≤ 2 s).
 *
 *   node --import tsx scripts/bench-report.ts [--actions 10000000] [--no-exact] [--writes 2000] [--keep]
 *
 * Seeded in SQL (untimed) into a temporary SQLite file: N/10 debtors with one claim each and
 * ten executed actions over ten days (SMS ×3, e-mail ×3, IVR ×2, agent, letter), each message
 * action with its message (delivered, one part), a call for a third of the call actions (half
 * answered, 90 s), a payment for one debtor in five (half of them in full), a promise for one
 * in twenty. Then the report is run twice (cold, then warm page cache) over all days, and once
 * filtered to one strategy segment; wall time and the process's peak RSS are printed.
 *
 * The rollup (migration 018): the seeded rows count as data from before it, so the rollup is
 * then built by the backfill (timed), the store reopened, and the report read from it, cold
 * (first query of the process) and warm, whole and filtered. Last, what the rollup adds to a
 * write: the same writes (a payment back-dated into the window, a message receipt, a call
 * ending, an action executed) timed with the rollup's triggers and without them (dropped in
 * this throw-away database), and the check every commit makes when nothing is dirty.
 * --no-exact skips the exact path (130 s at 10 M).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openSqliteStore, sqliteHandle } from '../src/store/sqlite.ts';
import { FakeClock } from '../src/lib/clock.ts';
import { ReportService } from '../src/reports/service.ts';
import { PaymentService } from '../src/payments/service.ts';
import { blankEntry } from '../src/payments/types.ts';
import { silentLogger } from '../src/lib/log.ts';
import type { Store } from '../src/store/repositories.ts';

const { values } = parseArgs({ options: { actions: { type: 'string' }, keep: { type: 'boolean' }, 'no-exact': { type: 'boolean' }, writes: { type: 'string' } } });
const WRITES = Number(values.writes ?? 2000);
const N = Number(values.actions ?? 10_000_000);
const DEBTORS = Math.ceil(N / 10);
const AT = '2026-11-01T00:00:00.000Z';

const dir = mkdtempSync(join(tmpdir(), 'bereik-bench-report-'));
const path = join(dir, 'bereik.sqlite');
let store = openSqliteStore(path);
let db = sqliteHandle(store);
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

// The seeded rows were written below the store (no transaction recomputed them): as data from before migration 018.
db.exec(`DELETE FROM action_rollup_dirty`);
store.actionReports.rollup.reset(14, AT);
const clock = new FakeClock('2026-11-30T12:00:00Z');
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
const run = async (s: Store, label: string, f: Parameters<ReportService['actions']>[0]) => {
  const reports = new ReportService({ store: s, clock });
  const t = performance.now();
  const r = await reports.actions(f);
  const sec = (performance.now() - t) / 1000;
  console.log(`${label} (${r.source.path}): ${sec.toFixed(3)} s; executed ${r.total.executed.toLocaleString('en')}, with a result ${r.total.withResult.toLocaleString('en')}, collected €${(r.total.collectedCents.lastTouch / 100).toLocaleString('en')}, invoices ${r.total.costPerInvoiceCents === null ? 0 : Math.round(r.total.costCents / r.total.costPerInvoiceCents).toLocaleString('en')}`);
  return r;
};
const ALL = { from: '2026-11-01', to: '2026-11-30' };
let exactTotal: unknown;
if (!values['no-exact']) {
  exactTotal = (await run(store, 'exact path, cold', ALL)).total;
  await run(store, 'exact path, warm', ALL);
  await run(store, 'exact path, segment small', { ...ALL, segment: 'small' });
}

// The backfill, as `bereik serve` runs it after start (batches of 2,000 debtors).
const tb = performance.now();
const size0 = statSync(path).size;
let batches = 0;
for (let s = store.actionReports.rollup.state(); !s.complete; batches++) {
  s = store.actionReports.rollup.backfill(2000, AT);
  if (batches % 50 === 0) console.log(`  backfill: ${s.builtThrough.toLocaleString('en')} of ${s.lastDebtorId.toLocaleString('en')} debtors, ${((performance.now() - tb) / 1000).toFixed(0)} s`);
}
const backfillSec = (performance.now() - tb) / 1000;
db.pragma('wal_checkpoint(TRUNCATE)');
const rows = db.prepare(`SELECT (SELECT count(*) FROM action_rollup), (SELECT count(*) FROM action_rollup_distinct)`).raw().get() as [number, number];
console.log(`rollup backfill: ${backfillSec.toFixed(1)} s for ${count.toLocaleString('en')} actions (${((backfillSec * 1e6) / count).toFixed(1)} µs an action), ${batches} batches; ${rows[0]} day rows, ${rows[1]} distinct rows; database ${mb(size0)} → ${mb(statSync(path).size)}`);

// A fresh process's view: the store reopened, the rollup read cold, then warm.
store.close();
store = openSqliteStore(path);
db = sqliteHandle(store);
db.pragma('synchronous = OFF');
const cold = await run(store, 'rollup, cold', ALL);
await run(store, 'rollup, warm', ALL);
await run(store, 'rollup, segment small', { ...ALL, segment: 'small' });
await run(store, 'rollup, campaign 1, one week', { from: '2026-11-05', to: '2026-11-11', campaignId: 1 });
if (exactTotal) console.log(`rollup total equals the exact path's: ${JSON.stringify(cold.total) === JSON.stringify(exactTotal)}`);

// What the rollup adds to a write: the same writes with the rollup's triggers, then without.
const payments = new PaymentService({ store, clock, log: silentLogger() });
const step = Math.max(1, Math.floor(DEBTORS / (2 * WRITES)));
let payNo = 0;
const writes = {
  'payment (back-dated into the window)': (id: number) => payments.apply({ ...blankEntry('api', 'bench'), externalId: `w${++payNo}`, amountCents: 1000, bookedOn: '2026-11-06', claimId: id }, null, AT),
  'message receipt': (id: number) => store.transaction(() => db.prepare(`UPDATE messages SET status = 'failed' WHERE id = ?`).run(id * 10)),
  'call ended': (id: number) => store.calls.update(`c${id * 10 + 2}`, { disposition: 'answered', answeredAt: '2026-11-04T09:00:00.000Z', endedAt: '2026-11-04T09:03:00.000Z' }),
  'action executed': (id: number) => {
    const a = Number(db.prepare(`INSERT INTO actions (debtor_id, strategy_id, strategy_version, arm, segment, step_index, action, channel, claim_ids, open_cents, planned_for, created_at) VALUES (?, 'default', 1, 'champion', 'small', 10, 'external', 'external', ?, 0, '2026-11-12', ?)`).run(id, `[${id}]`, AT).lastInsertRowid);
    store.strategies.finish(a, { status: 'executed' }, '2026-11-12T07:00:00.000Z');
  },
};
// A call was seeded for call action id*10+2 when that id is a multiple of 3: debtor ids ≡ 1 (mod 3).
const sample = (offset: number) => Array.from({ length: WRITES }, (_, i) => 1 + 3 * (offset + i * 2 * step)).filter((id) => id <= DEBTORS);
const timeWrites = (ids: number[]) => Object.fromEntries(Object.entries(writes).map(([name, w]) => {
  const t = performance.now();
  for (const id of ids) w(id);
  return [name, ((performance.now() - t) * 1000) / ids.length];
}));
const on = timeWrites(sample(0));
const emptyT = performance.now();
for (let i = 0; i < 100_000; i++) store.actionReports.rollup.flushDirty();
const emptyUs = ((performance.now() - emptyT) * 1000) / 100_000;
for (const t of db.prepare(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'action_rollup_%'`).pluck().all() as string[]) db.exec(`DROP TRIGGER ${t}`);
const off = timeWrites(sample(1));
console.log(`write overhead of the rollup (µs per write, ${WRITES} writes each, synchronous = OFF):`);
for (const name of Object.keys(writes)) console.log(`  ${name}: ${on[name]!.toFixed(0)} with, ${off[name]!.toFixed(0)} without → +${(on[name]! - off[name]!).toFixed(0)} µs`);
console.log(`  any other commit (an import batch, a dialer claim), nothing dirty: +${emptyUs.toFixed(1)} µs per commit`);
console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
store.close();
if (values.keep) console.log(`kept ${path}`);
else rmSync(dir, { recursive: true, force: true });
