/**
 * What migration 013 (the console's call rollup, issue 14) costs an existing database: the
 * one-off backfill when a store with N calls is upgraded (default 1,000,000), and what its
 * triggers add to every call written afterwards (the same calls inserted, and then updated
 * as the dialer does when a call ends, on schema 12 and on schema 13).
 *
 *   node --import tsx scripts/bench-migration-013.ts [--calls 1000000] [--writes 200000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { loadMigrations, migrate, type Db } from '../src/store/db.ts';

const { values } = parseArgs({ options: { calls: { type: 'string' }, writes: { type: 'string' } } });
const N = Number(values.calls ?? 1_000_000);
const W = Number(values.writes ?? 200_000);
const all = loadMigrations();
const upTo = (v: number) => all.filter((m) => m.version <= v);
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const DAY = 86_400_000;
const T0 = Date.parse('2026-10-01T00:00:00Z');
const DISPOSITIONS = ['answered', 'machine', 'busy', 'no_answer', 'failed'];

function open(dir: string, name: string, version: number): Db {
  const db = new Database(join(dir, name));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  migrate(db, upTo(version));
  db.pragma('foreign_keys = OFF');
  db.prepare(`INSERT INTO campaigns (id, name, mode, state, caller_id, settings, created_at, updated_at) VALUES (1, 'a', 'agentless', 'running', '+31201234567', '{}', '2026-10-01', '2026-10-01'), (2, 'b', 'predictive', 'running', '+31201234567', '{}', '2026-10-01', '2026-10-01')`).run();
  return db;
}

/** Calls spread over 30 days and two campaigns, ended with a disposition, as the dialer leaves them. */
function insertCalls(db: Db, from: number, count: number): number {
  const ins = db.prepare(`INSERT INTO calls (id, direction, campaign_id, state, disposition, amd_status, message_heard, identity_confirmed, result, created_at)
    VALUES (?, 'outbound', ?, 'ended', ?, 'HUMAN', ?, ?, NULL, ?)`);
  const t0 = process.hrtime.bigint();
  db.transaction(() => {
    for (let i = from; i < from + count; i++) {
      ins.run(`c${i}`, 1 + (i % 2), DISPOSITIONS[i % 5], i % 3 === 0 ? 1 : 0, i % 2, new Date(T0 + ((i * 7919) % (30 * DAY))).toISOString());
    }
  })();
  return ms(t0);
}

/** What a call's end writes: the disposition and result change (the update trigger's case). */
function endCalls(db: Db, from: number, count: number): number {
  const upd = db.prepare(`UPDATE calls SET disposition = 'answered', result = 'paylink_requested', message_heard = 1 WHERE id = ?`);
  const t0 = process.hrtime.bigint();
  db.transaction(() => {
    for (let i = from; i < from + count; i++) upd.run(`c${i}`);
  })();
  return ms(t0);
}

const dir = mkdtempSync(join(tmpdir(), 'bench-m013-'));
try {
  // The upgrade: N calls on schema 12, then migration 013 alone.
  const old = open(dir, 'upgrade.sqlite', 12);
  const seeded = insertCalls(old, 0, N);
  const t0 = process.hrtime.bigint();
  migrate(old, upTo(13));
  const backfill = ms(t0);
  const rows = (old.prepare(`SELECT count(*) AS n FROM call_rollup`).get() as { n: number }).n;
  old.close();
  console.log(`upgrade: ${N.toLocaleString('en')} calls seeded in ${(seeded / 1000).toFixed(1)} s; migration 013's backfill ${(backfill / 1000).toFixed(2)} s (${rows.toLocaleString('en')} rollup rows)`);

  // Per write: the same W inserts and W updates on each schema, after N/10 calls already there.
  for (const version of [12, 13]) {
    const db = open(dir, `writes-${version}.sqlite`, version);
    insertCalls(db, 0, Math.floor(N / 10));
    const ins = insertCalls(db, N, W);
    const upd = endCalls(db, N, W);
    db.close();
    console.log(`schema ${version}: insert ${((ins * 1000) / W).toFixed(1)} µs/call, end-of-call update ${((upd * 1000) / W).toFixed(1)} µs/call (${W.toLocaleString('en')} each, in one transaction)`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
