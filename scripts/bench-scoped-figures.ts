/**
 * What a token limited to one creditor pays for its figures (docs/data-protection.md, "Cost
 * of limited figures"): the console pages that count calls or actions, timed over HTTP for an
 * unlimited operator token and for one limited to one of three creditors, on the console
 * benchmark's store (scripts/lib/console-seed.ts: N debtors, one claim and contact each, 5
 * calls each on 5 days, all in one campaign) with the creditors taking the debtors in turn,
 * one executed IVR action per debtor (its first call) for the score per action, and 300 calls
 * up at the time of the run (300 lines: what the live view lists).
 * Median and p99 in ms per request; the console's goal is < 300 ms (issue 14). Last, what the
 * rollup per creditor (migration 020) adds to a call written: --writes calls inserted and ended
 * (as the dialer does) with its triggers and, in this throw-away store, without them.
 *
 *   node --import tsx scripts/bench-scoped-figures.ts [--debtors 200000] [--requests 20] [--writes 20000] [--keep]
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
import { AT, CALLS_PER_DEBTOR, seedConsoleStore } from './lib/console-seed.ts';

const { values } = parseArgs({ options: { debtors: { type: 'string' }, requests: { type: 'string' }, writes: { type: 'string' }, store: { type: 'string' }, keep: { type: 'boolean' } } });
const N = Number(values.debtors ?? 200_000);
const REQUESTS = Number(values.requests ?? 20);
const WRITES = Number(values.writes ?? 20_000);
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

/** µs per call to insert W calls about existing contacts and then end them, each in one transaction. */
function writeCost(path: string, campaign: number, tag: string): { insert: number; end: number } {
  const store = openSqliteStore(path);
  const db = sqliteHandle(store);
  const ins = db.prepare(`INSERT INTO calls (id, direction, campaign_id, contact_id, debtor_id, to_number, state, created_at) VALUES (?, 'outbound', ?, ?, ?, '+31610000000', 'dialing', ?)`);
  const end = db.prepare(`UPDATE calls SET state = 'ended', disposition = 'answered', amd_status = 'HUMAN', identity_confirmed = 1, message_heard = 1, result = 'paylink_requested', ended_at = ? WHERE id = ?`);
  const at = new Date(Date.parse(AT) + CALLS_PER_DEBTOR * 86_400_000).toISOString();
  const time = (f: () => void) => {
    const t0 = performance.now();
    db.transaction(f)();
    return ((performance.now() - t0) * 1000) / WRITES;
  };
  const insert = time(() => {
    for (let i = 0; i < WRITES; i++) ins.run(`w${tag}${i}`, campaign, 1 + ((i * 7) % N), 1 + ((i * 7) % N), at);
  });
  const ended = time(() => {
    for (let i = 0; i < WRITES; i++) end.run(at, `w${tag}${i}`);
  });
  store.close();
  return { insert, end: ended };
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
    writeCost(path, campaign, 'warm'); // the pages the writes touch, into the cache for both runs
    const withRollup = writeCost(path, campaign, 'a');
    const bare = openSqliteStore(path);
    const db = sqliteHandle(bare);
    for (const { name } of db.prepare(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'call_rollup_by_creditor%'`).all() as { name: string }[]) db.exec(`DROP TRIGGER ${name}`);
    bare.close();
    const without = writeCost(path, campaign, 'b');
    console.log(`a call written (${WRITES.toLocaleString('en')} inserted, then ended): insert ${withRollup.insert.toFixed(1)} µs with the rollup per creditor, ${without.insert.toFixed(1)} µs without; end ${withRollup.end.toFixed(1)} vs ${without.end.toFixed(1)} µs`);
  } finally {
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
    else console.log(`kept ${path}`);
  }
}

await main();
