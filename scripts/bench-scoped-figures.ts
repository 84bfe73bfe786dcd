/**
 * What a token limited to one creditor pays for its figures (docs/data-protection.md, "Cost
 * of limited figures"): the console pages that count calls or actions, timed over HTTP for an
 * unlimited operator token and for one limited to one of three creditors, on the console
 * benchmark's store (scripts/lib/console-seed.ts: N debtors, one claim and contact each, 5
 * calls each on 5 days, all in one campaign) with the creditors taking the debtors in turn,
 * one executed IVR action per debtor (its first call) for the score per action, and 300 calls
 * up at the time of the run (300 lines: what the live view lists); and the campaigns list, which
 * a limited token gets filtered to the campaigns holding its claims.
 * Median and p99 in ms per request; the console's goal is < 300 ms (issue 14). Last, what the
 * rollups per creditor (migration 020) add to a write (writeCost).
 *
 *   node --import tsx scripts/bench-scoped-figures.ts [--debtors 200000] [--requests 20] [--writes 100000] [--keep]
 *
 * --store PATH times a store an earlier --keep left (opening it applies any new migration,
 * timed), and writes nothing to it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/load.ts';
import { createApp } from '../src/app.ts';
import { silentLogger } from '../src/lib/log.ts';
import { createToken } from '../src/http/tokens.ts';
import { ScaledClock } from '../src/lib/clock.ts';
import { SilentTts } from '../src/tts/silent.ts';
import { openSqliteStore, sqliteHandle } from '../src/store/sqlite.ts';
import { loadMigrations, openDb } from '../src/store/db.ts';
import { AT, CALLS_PER_DEBTOR, seedConsoleStore } from './lib/console-seed.ts';

const { values } = parseArgs({ options: { debtors: { type: 'string' }, requests: { type: 'string' }, writes: { type: 'string' }, store: { type: 'string' }, keep: { type: 'boolean' } } });
const N = Number(values.debtors ?? 200_000);
const REQUESTS = Number(values.requests ?? 20);
const WRITES = Number(values.writes ?? 100_000);
const CREDITORS = ['Energie BV', 'Zorg Verzekeraar NV', 'Telecom BV'];
const day = (n: number) => new Date(Date.parse(AT) + n * 86_400_000).toISOString().slice(0, 10);
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

/** One executed IVR action per debtor, on the day of its first call and linked to it. */
function seedActions(path: string, campaign: number): void {
  const store = openSqliteStore(path);
  const db = sqliteHandle(store);
  db.exec(`INSERT INTO actions (id, debtor_id, strategy_id, strategy_version, arm, segment, step_index, action, channel, claim_ids, open_cents, planned_for, status,
      campaign_id, contact_id, call_id, created_at, executed_at)
    SELECT d.id, d.id, 'default', 1, 'champion', 'medium', 0, 'call_ivr', 'phone', '[' || d.id || ']', 12345, '${day(0)}', 'executed',
           ${campaign}, d.id, 'c' || d.id || '-0', '${AT}', '${AT}'
      FROM debtors d`);
  db.exec('ANALYZE');
  store.close();
}

/**
 * What migration 020's triggers add to the writes they watch: the same --writes calls inserted
 * and ended, and contacts' status changed, on schema 19 and on 20 (a store of 50,000 debtors
 * with a claim and contact each; each batch in one transaction), twice in turn.
 */
function writeCost(dir: string): void {
  const all = loadMigrations();
  const D = 50_000;
  for (const round of [1, 2]) {
    for (const version of [19, 20]) {
      const db = openDb(join(dir, `writes-${version}-${round}.sqlite`), { migrations: all.filter((m) => m.version <= version) });
      db.exec(`INSERT INTO campaigns (id, name, mode, state, caller_id, settings, created_at, updated_at) VALUES (1, 'w', 'agentless', 'running', '+31201234567', '{}', '${AT}', '${AT}')`);
      db.exec(`WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ${D}) INSERT INTO debtors (id, external_ref, name, created_at, updated_at) SELECT i, 'D' || i, 'x', '${AT}', '${AT}' FROM s`);
      db.exec(`INSERT INTO claims (id, debtor_id, creditor, invoice_ref, amount_cents, created_at, updated_at) SELECT id, id, 'C' || (id % 3), 'F' || id, 100, '${AT}', '${AT}' FROM debtors`);
      db.exec(`INSERT INTO contacts (id, campaign_id, claim_id, debtor_id, created_at, updated_at) SELECT id, 1, id, id, '${AT}', '${AT}' FROM debtors`);
      const ins = db.prepare(`INSERT INTO calls (id, direction, campaign_id, contact_id, debtor_id, state, created_at) VALUES (?, 'outbound', 1, ?, ?, 'dialing', ?)`);
      const end = db.prepare(`UPDATE calls SET state = 'ended', disposition = 'answered', amd_status = 'HUMAN', message_heard = 1, result = 'paylink_requested' WHERE id = ?`);
      const status = db.prepare(`UPDATE contacts SET status = ? WHERE id = ?`);
      const us = (f: () => void) => {
        const t0 = performance.now();
        db.transaction(f)();
        return (((performance.now() - t0) * 1000) / WRITES).toFixed(1);
      };
      const inserted = us(() => {
        for (let i = 0; i < WRITES; i++) ins.run(`w${i}`, 1 + (i % D), 1 + (i % D), new Date(Date.parse(AT) + i * 1000).toISOString());
      });
      const ended = us(() => {
        for (let i = 0; i < WRITES; i++) end.run(`w${i}`);
      });
      const changed = us(() => {
        for (let i = 0; i < WRITES; i++) status.run(i % 2 ? 'pending' : 'in_progress', 1 + (i % D));
      });
      db.close();
      console.log(`schema ${version} (round ${round}, ${WRITES.toLocaleString('en')} each): call insert ${inserted} µs, call end ${ended} µs, contact status ${changed} µs`);
    }
  }
}

async function main(): Promise<void> {
  const dir = values.store ? dirname(values.store) : mkdtempSync(join(tmpdir(), 'bereik-bench-scoped-'));
  const path = values.store ?? join(dir, 'bereik.sqlite');
  const t0 = performance.now();
  let campaign = 1;
  if (values.store) {
    openSqliteStore(path).close();
    console.log(`opened ${path} in ${((performance.now() - t0) / 1000).toFixed(1)} s (migrations included)`);
  } else {
    campaign = seedConsoleStore(path, N, CREDITORS);
    seedActions(path, campaign);
    console.log(`seed: ${((performance.now() - t0) / 1000).toFixed(0)} s (${N.toLocaleString('en')} debtors of ${CREDITORS.length} creditors in one campaign, ${(N * CALLS_PER_DEBTOR).toLocaleString('en')} calls, ${N.toLocaleString('en')} actions)`);
  }
  const config = loadConfig({}, { http: { host: '127.0.0.1', port: 0 }, db: { path }, log: { level: 'silent' }, tts: { cacheDir: join(dir, 'tts') } });
  const tts = new SilentTts({ cacheDir: join(dir, 'tts'), delivery: 'file', asteriskPath: '', publicUrl: '' });
  const clock = new ScaledClock(1, Date.parse(AT) + CALLS_PER_DEBTOR * 86_400_000);
  const app = await createApp({ config, clock, log: silentLogger(), telephony: { tts } });
  const url = await app.listen();
  const tokens = {
    unlimited: createToken(app.deps.store.tokens, app.deps.clock, { name: 'bench-all', role: 'operator' }).token,
    limited: createToken(app.deps.store.tokens, app.deps.clock, { name: 'bench-one', role: 'operator', creditors: [CREDITORS[0]!] }).token,
  };
  // 300 calls up (300 lines), written after start: its restart sweep ends calls it finds live.
  const upAt = new Date(clock.now() - 30_000).toISOString();
  sqliteHandle(app.deps.store).exec(`INSERT OR IGNORE INTO calls (id, direction, campaign_id, contact_id, debtor_id, to_number, state, created_at, answered_at)
    SELECT 'up' || id, 'outbound', ${campaign}, id, id, '+31610000000', 'up', '${upAt}', '${upAt}' FROM debtors WHERE id % ${Math.max(1, Math.floor(N / 300))} = 0 LIMIT 300`);
  type Kind = keyof typeof tokens;
  const get = async (path: string, kind: Kind) => {
    const start = performance.now();
    const res = await fetch(url + path, { headers: { authorization: `Bearer ${tokens[kind]}` } });
    const body = await res.text();
    const took = performance.now() - start;
    if (res.status !== 200) throw new Error(`${path} (${kind}): ${res.status} ${body.slice(0, 200)}`);
    return took;
  };
  const range = (days: number) => `campaign=${campaign}&from=${day(CALLS_PER_DEBTOR - days)}&to=${day(CALLS_PER_DEBTOR - 1)}`;
  const cases: [string, string][] = [
    ['GET /campaigns?limit=20', '/campaigns?limit=20&offset=0'],
    ['GET /campaigns/:id/stats', `/campaigns/${campaign}/stats`],
    ['GET /campaigns/:id/live (each SSE event)', `/campaigns/${campaign}/live`],
    ['GET /reports/funnel (1 day)', `/reports/funnel?${range(1)}`],
    ['GET /reports/funnel (5 days)', `/reports/funnel?${range(5)}`],
    ['GET /reports/answer-rate (1 day)', `/reports/answer-rate?${range(1)}`],
    ['GET /reports/answer-rate (5 days)', `/reports/answer-rate?${range(5)}`],
    ['GET /reports/actions (5 days)', `/reports/actions?from=${day(0)}&to=${day(CALLS_PER_DEBTOR - 1)}`],
  ];
  try {
    console.log(`| request | unlimited median | unlimited p99 | limited median | limited p99 |\n| --- | --- | --- | --- | --- |`);
    for (const [label, path] of cases) {
      const row: string[] = [];
      for (const kind of ['unlimited', 'limited'] as const) {
        const warm = await get(path, kind); // the statement, the page cache, and the score-per-action rollup's dirty debtors
        const ms: number[] = [];
        // The exact score per action takes seconds: fewer rounds, the figure is no less clear.
        const rounds = path.startsWith('/reports/actions') && warm > 1000 ? Math.min(REQUESTS, 3) : REQUESTS;
        for (let i = 0; i < rounds; i++) ms.push(await get(path, kind));
        row.push(`${pct(ms, 0.5).toFixed(1)} ms`, `${pct(ms, 0.99).toFixed(1)} ms`);
      }
      console.log(`| \`${label}\` | ${row.join(' | ')} |`);
    }
  } finally {
    await app.close();
  }
  if (values.store) return;
  try {
    writeCost(dir);
  } finally {
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
    else console.log(`kept ${path}`);
  }
}

await main();
