/**
 * What SQLite alone needs to store a 1,000,000-row import on this machine: the ceiling for
 * any importer of Bereik's schema, before a byte of CSV is read.
 *
 * It writes the same volume scripts/bench-import.ts produces (500,000 debtors, 750,000
 * phones, 1,000,000 claims, 1,000,000 contacts, with every index of the real migrations)
 * as plain INSERT … SELECT statements generated inside SQLite: no JavaScript per row, no
 * parameters to bind, no upsert conflict checks, fresh ids on an empty database. Whatever
 * this prints is a lower bound on the importer's write pass; rows/s is that bound.
 *
 *   node --import tsx scripts/bench-import-floor.ts
 *
 * Runs at the importer's transaction size (5,000 rows, so the API and the dialer get the
 * event loop back every ~100 ms), with phones and contacts every 50,000 rows as the
 * importer writes them while nothing dials, at one transaction per 200,000 rows, and at
 * 5,000 rows with synchronous=OFF (to show how much is the disk's fsync).
 */
import { rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../src/store/db.ts';

const ROWS = 1_000_000;
const NOW = `'2026-11-23T12:00:00.000Z'`;

/** Rows lo..hi (1-based) of the import, as SQLite generates them; debtor = row / 2 (two invoices each, as the bench's average). */
const series = (from: number, to: number) => `WITH RECURSIVE s(x) AS (SELECT ${from} UNION ALL SELECT x + 1 FROM s WHERE x < ${to})`;

const STEPS = {
  debtors: (lo: number, hi: number) => `${series(Math.ceil(lo / 2), Math.floor(hi / 2))}
    INSERT INTO debtors (id, external_ref, name, language, risk, time_zone, created_at, updated_at)
    SELECT x, 'D' || (100000 + x), 'Jan de Vries', 'nl', 'medium', 'Europe/Amsterdam', ${NOW}, ${NOW} FROM s`,
  // One mobile each and a landline for every other debtor, at random like real numbers.
  phones: (lo: number, hi: number) => `${series(Math.ceil(lo / 2), Math.floor(hi / 2))}
    INSERT INTO phones (debtor_id, e164, position, created_at, updated_at)
    SELECT x, '+316' || printf('%08d', abs(random()) % 100000000), 0, ${NOW}, ${NOW} FROM s
    UNION ALL SELECT x, '+3120' || printf('%07d', abs(random()) % 10000000), 1, ${NOW}, ${NOW} FROM s WHERE x % 2 = 0`,
  claims: (lo: number, hi: number) => `${series(lo, hi)}
    INSERT INTO claims (id, debtor_id, creditor, invoice_ref, amount_cents, due_date, pay_url, created_at, updated_at)
    SELECT x, x / 2, 'Energie Noord BV', 'F2026-' || printf('%07d', x), 12345, '2026-12-31', 'https://betaal.example.nl/p/' || x, ${NOW}, ${NOW} FROM s`,
  contacts: (lo: number, hi: number) => `${series(lo, hi)}
    INSERT INTO contacts (campaign_id, claim_id, debtor_id, import_id, created_at, updated_at) SELECT 1, x, x / 2, 1, ${NOW}, ${NOW} FROM s`,
};

function run(label: string, perTransaction: number, synchronous: 'NORMAL' | 'OFF', deferEvery = perTransaction): void {
  const dir = mkdtempSync(join(tmpdir(), 'bereik-floor-'));
  try {
    const db = openDb(join(dir, 'floor.sqlite'));
    // The settings ImportStore.bulk uses for an import; foreign keys off as in a staged batch.
    db.pragma('cache_size = -32768');
    db.pragma('wal_autocheckpoint = 40000');
    db.pragma(`synchronous = ${synchronous}`);
    db.pragma('foreign_keys = OFF');
    db.exec(`INSERT INTO campaigns (id, name, mode, caller_id, settings, created_at, updated_at) VALUES (1, 'floor', 'agentless', '+31201234567', '{}', ${NOW}, ${NOW});
             INSERT INTO imports (id, campaign_id, file_sha256, status, created_at) VALUES (1, 1, '', 'running', ${NOW});`);
    const ms: Record<string, number> = { debtors: 0, phones: 0, claims: 0, contacts: 0, commit: 0 };
    const t0 = performance.now();
    let waitingFrom = 1; // phones and contacts of rows from here on are not written yet
    for (let lo = 1; lo <= ROWS; lo += perTransaction) {
      const hi = Math.min(ROWS, lo + perTransaction - 1);
      const flush = hi - waitingFrom + 1 >= deferEvery || hi === ROWS;
      db.exec('BEGIN');
      for (const [table, sql] of Object.entries(STEPS)) {
        const deferred = table === 'phones' || table === 'contacts';
        if (deferred && !flush) continue;
        const a = performance.now();
        db.exec(deferred ? sql(waitingFrom, hi) : sql(lo, hi));
        ms[table]! += performance.now() - a;
      }
      if (flush) waitingFrom = hi + 1;
      const a = performance.now();
      db.exec('COMMIT');
      ms.commit! += performance.now() - a;
    }
    db.pragma('wal_checkpoint(TRUNCATE)');
    const total = performance.now() - t0;
    const rows = db.prepare(`SELECT (SELECT count(*) FROM debtors) d, (SELECT count(*) FROM phones) p, (SELECT count(*) FROM claims) c, (SELECT count(*) FROM contacts) k`).get() as Record<string, number>;
    db.close();
    const parts = Object.entries(ms).map(([k, v]) => `${k} ${(v / 1000).toFixed(2)}`).join(', ');
    console.log(`${label}: ${(total / 1000).toFixed(2)} s → at most ${Math.round(ROWS / (total / 1000)).toLocaleString('en')} rows/s  (${parts} s; wrote ${rows.d} debtors, ${rows.p} phones, ${rows.c} claims, ${rows.k} contacts)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

run('5,000 rows per transaction (the importer)    ', 5_000, 'NORMAL');
run('5,000, phones + contacts every 50,000         ', 5_000, 'NORMAL', 50_000);
run('200,000 rows per transaction                 ', 200_000, 'NORMAL');
run('5,000 rows per transaction, synchronous=OFF  ', 5_000, 'OFF');
