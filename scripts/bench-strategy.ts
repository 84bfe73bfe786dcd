/**
 * Issue 13 benchmark: plan one day of the default strategy for 1,000,000 debtors with
 * 1,500,000 claims (target ≤ 60 s, peak RSS < 500 MB), in a child process so the seeding
 * does not count towards its memory.
 *
 *   node --import tsx scripts/bench-strategy.ts [--debtors 1000000] [--execute 20000] [--keep] [--cpu-prof DIR]
 *
 * The portfolio: every other debtor has two claims; amounts from €15 to €3,015, most small
 * (so every segment of the default strategy is used), risk 10 % high / 30 % low, one mobile each,
 * an e-mail address for half, 2 % with a disputed claim, 1 % with a promise (half broken).
 * Reported: day 0 (everyone new: assigned, SMS + e-mail planned), day 1 (history read
 * back with each message's outcome: the agents' day for high amounts), and carrying out
 * `--execute` planned actions through the real composer and call campaigns (throughput; the
 * outbox sends them later). Before day 1 the rest of day 0 is marked executed, each message
 * action with a delivered message of its own (untimed).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { openSqliteStore, sqliteHandle } from '../src/store/sqlite.ts';
import { FakeClock } from '../src/lib/clock.ts';
import { silentLogger } from '../src/lib/log.ts';
import { MessageComposer } from '../src/messaging/compose.ts';
import { CampaignService } from '../src/campaigns/service.ts';
import { StrategyPlanner } from '../src/strategy/planner.ts';

const { values } = parseArgs({
  options: { debtors: { type: 'string' }, execute: { type: 'string' }, keep: { type: 'boolean' }, 'cpu-prof': { type: 'string' }, child: { type: 'string' } },
});

const AT = '2026-11-01T00:00:00.000Z';
const DAY0 = '2026-11-23T05:00:00Z'; // Monday 06:00 in Amsterdam
const DAY1 = '2026-11-24T05:00:00Z';

/** €15 to €3,015, most of them small (cubed): about 55 % up to €250, 25 % above €1,000. */
function amount(d: number, i: number): number {
  const u = ((d * 7919 + i * 104_729) % 10_007) / 10_007;
  return 1_500 + Math.floor(u ** 3 * 300_000);
}

function seed(dbPath: string, debtors: number): number {
  const store = openSqliteStore(dbPath);
  const db = sqliteHandle(store);
  db.pragma('foreign_keys = OFF');
  const debtor = db.prepare(`INSERT INTO debtors (id, external_ref, name, email, risk, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`);
  const phone = db.prepare(`INSERT INTO phones (debtor_id, e164, created_at, updated_at) VALUES (?, ?, ?, ?)`);
  const claim = db.prepare(`INSERT INTO claims (id, debtor_id, creditor, invoice_ref, amount_cents, due_date, pay_url, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'https://pay.example.nl/i', ?, ?, ?)`);
  const promise = db.prepare(`INSERT INTO dispositions (claim_id, kind, promise_date, amount_cents, created_at) VALUES (?, 'promise_to_pay', ?, 1000, ?)`);
  let claims = 0;
  const per = 100_000;
  for (let start = 1; start <= debtors; start += per) {
    db.transaction(() => {
      for (let d = start; d < start + per && d <= debtors; d++) {
        const risk = d % 10 === 0 ? 'high' : d % 10 < 4 ? 'low' : 'medium';
        debtor.run(d, `D${d}`, `Debiteur ${d}`, d % 2 ? `d${d}@example.nl` : null, risk, AT, AT);
        phone.run(d, `+316${String(10_000_000 + d).slice(-8)}`, AT, AT);
        const n = d % 2 === 0 ? 2 : 1;
        for (let i = 0; i < n; i++) {
          const id = ++claims;
          const status = d % 50 === 8 && i === 0 ? 'disputed' : d % 100 === 3 ? 'promised' : 'open';
          claim.run(id, d, d % 3 ? 'Energie BV' : 'Water NV', `INV-${id}`, amount(d, i), `2026-${String(1 + (d % 10)).padStart(2, '0')}-15`, status, AT, AT);
          if (status === 'promised') promise.run(id, d % 200 === 3 ? '2026-11-20' : '2026-12-20', AT);
        }
      }
    })();
  }
  db.pragma('foreign_keys = ON');
  const strategy = JSON.parse(readFileSync(join(import.meta.dirname, '../config/strategies/default.json'), 'utf8')) as { id: string; name: string };
  store.strategies.save({ id: strategy.id, name: strategy.name, json: JSON.stringify(strategy) }, true, AT);
  store.close();
  return claims;
}

async function child(dbPath: string, execute: number): Promise<void> {
  const store = openSqliteStore(dbPath);
  const clock = new FakeClock(DAY0);
  const log = silentLogger();
  const composer = new MessageComposer({ store, clock, publicUrl: 'https://bereik.example.nl', smsSender: 'number:+3197010587400', emailFrom: 'Incasso <noreply@example.nl>', linkTtlDays: 30 });
  const planner = new StrategyPlanner({ store, clock, log, composer, campaigns: new CampaignService({ store, clock, log }), callerId: '+31201234567' });
  const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
  let t = performance.now();
  let c = cpu();
  const day0 = await planner.plan();
  const day0Ms = performance.now() - t;
  const day0Cpu = cpu() - c;
  const rssAfterDay0 = process.memoryUsage().rss / 1048576;
  t = performance.now();
  c = cpu();
  const done = await planner.execute(Date.parse(DAY0), { max: execute });
  const executeMs = performance.now() - t;
  const executeCpu = cpu() - c;
  // Day 1 reads day 0's actions back as history; what day 0 left planned is stopped first, so only day 1's own plan is timed.
  // …and every message action gets a delivered message of its own, so day 1 pays the lookups of message outcomes a real day would.
  const db = sqliteHandle(store);
  db.transaction(() => {
    // Message id = action id + offset: past every message id so far, one per action, no lookup to tie them.
    const offset = (db.prepare(`SELECT coalesce(max(id), 0) FROM messages`).pluck().get() as number) + 1;
    db.prepare(`INSERT INTO messages (id, channel, source, debtor_id, to_addr, sender, body, status, next_attempt_at, created_at, updated_at, done_at)
                SELECT a.id + ?, a.action, 'strategy', a.debtor_id, 'x', 'number:+3197010587400', 'b', 'delivered', a.created_at, a.created_at, a.created_at, a.created_at
                  FROM actions a WHERE a.status = 'planned' AND a.action IN ('sms', 'email')`).run(offset);
    db.prepare(`UPDATE actions SET message_id = id + ? WHERE status = 'planned' AND action IN ('sms', 'email')`).run(offset);
    db.prepare(`UPDATE actions SET status = 'executed' WHERE status = 'planned'`).run();
  })();
  await clock.set(DAY1);
  t = performance.now();
  c = cpu();
  const day1 = await planner.plan();
  const day1Ms = performance.now() - t;
  const day1Cpu = cpu() - c;
  store.close();
  console.log(JSON.stringify({ day0, day0Ms, day0Cpu, rssAfterDay0, done, executeMs, executeCpu, day1, day1Ms, day1Cpu, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
}

async function main(): Promise<void> {
  if (values.child) return child(values.child, Number(values.execute ?? 20_000));
  const debtors = Number(values.debtors ?? 1_000_000);
  const dir = mkdtempSync(join(tmpdir(), 'bench-strategy-'));
  try {
    const dbPath = join(dir, 'bench.sqlite');
    let t = performance.now();
    const claims = seed(dbPath, debtors);
    console.log(`seeded ${debtors.toLocaleString('en')} debtors, ${claims.toLocaleString('en')} claims in ${((performance.now() - t) / 1000).toFixed(1)} s (${(statSync(dbPath).size / 1e6).toFixed(0)} MB)`);
    const out = execFileSync(
      process.execPath,
      [...(values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`] : []), '--import', 'tsx', fileURLToPath(import.meta.url), '--child', dbPath, '--execute', String(values.execute ?? 20_000)],
      { encoding: 'utf8', maxBuffer: 1 << 20 },
    );
    const r = JSON.parse(out.trim().split('\n').at(-1)!) as {
      day0: Record<string, unknown> & { debtors: number; planned: number }; day0Ms: number; day0Cpu: number; day1Cpu: number; executeCpu: number; rssAfterDay0: number;
      done: Record<string, number>; executeMs: number; day1: Record<string, unknown> & { debtors: number; planned: number }; day1Ms: number; maxRssMb: number;
    };
    const n = Object.values(r.done).reduce((a, b) => a + b, 0);
    console.log(`day 0 plan: ${(r.day0Ms / 1000).toFixed(1)} s (CPU ${(r.day0Cpu / 1000).toFixed(1)} s) for ${r.day0.debtors.toLocaleString('en')} debtors, ${r.day0.planned.toLocaleString('en')} actions planned ${JSON.stringify(r.day0.plannedBy)}, stopped ${JSON.stringify(r.day0.stoppedBy)}`);
    console.log(`day 1 plan: ${(r.day1Ms / 1000).toFixed(1)} s (CPU ${(r.day1Cpu / 1000).toFixed(1)} s), ${r.day1.planned.toLocaleString('en')} actions planned ${JSON.stringify(r.day1.plannedBy)}`);
    console.log(`carrying out ${n.toLocaleString('en')} planned actions: ${(r.executeMs / 1000).toFixed(1)} s (CPU ${(r.executeCpu / 1000).toFixed(1)} s; ${Math.round(n / (r.executeMs / 1000)).toLocaleString('en')}/s) ${JSON.stringify(r.done)}`);
    console.log(`peak RSS of the planning process: ${r.maxRssMb.toFixed(0)} MB (after day 0: ${r.rssAfterDay0.toFixed(0)} MB)`);
  } finally {
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
    else console.log(`kept ${dir}`);
  }
}

await main();
