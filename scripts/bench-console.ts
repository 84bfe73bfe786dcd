/**
 * Issue 14 page-speed benchmark: every console page's API calls against a store of N
 * debtors (default 1,000,000: one phone, claim and contact each, all in one campaign) and
 * 5 calls each (5,000,000, on 5 days), timed over HTTP on the whole service (simulated
 * telephony, its clock on the day after the last call, so "the last 24 h" holds a day of
 * calls). Median and p99 in ms per request; the goal is < 300 ms.
 *
 *   node --import tsx scripts/bench-console.ts [--debtors 1000000] [--requests 50] [--keep]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/load.ts';
import { createApp } from '../src/app.ts';
import { silentLogger } from '../src/lib/log.ts';
import { createToken } from '../src/http/tokens.ts';
import { ScaledClock } from '../src/lib/clock.ts';
import { SilentTts } from '../src/tts/silent.ts';
import { AT, CALLS_PER_DEBTOR, seedConsoleStore } from './lib/console-seed.ts';

const { values } = parseArgs({ options: { debtors: { type: 'string' }, requests: { type: 'string' }, keep: { type: 'boolean' } } });
const N = Number(values.debtors ?? 1_000_000);
const REQUESTS = Number(values.requests ?? 50);
const day = (n: number) => new Date(Date.parse(AT) + n * 86_400_000).toISOString().slice(0, 10);
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bereik-bench-console-'));
  const path = join(dir, 'bereik.sqlite');
  const t0 = performance.now();
  const campaign = seedConsoleStore(path, N);
  console.log(`seed: ${((performance.now() - t0) / 1000).toFixed(0)} s (${N.toLocaleString('en')} debtors and contacts, ${(N * CALLS_PER_DEBTOR).toLocaleString('en')} calls)`);
  const config = loadConfig({}, { http: { host: '127.0.0.1', port: 0 }, db: { path }, log: { level: 'silent' }, tts: { cacheDir: join(dir, 'tts') } });
  const tts = new SilentTts({ cacheDir: join(dir, 'tts'), delivery: 'file', asteriskPath: '', publicUrl: '' });
  const clock = new ScaledClock(1, Date.parse(AT) + CALLS_PER_DEBTOR * 86_400_000);
  const app = await createApp({ config, clock, log: silentLogger(), telephony: { tts } });
  const url = await app.listen();
  const token = (role: 'operator' | 'admin') => createToken(app.deps.store.tokens, app.deps.clock, { name: `bench-${role}`, role }).token;
  const tokens = { operator: token('operator'), admin: token('admin') };
  const get = async (path: string, role: 'operator' | 'admin' = 'operator') => {
    const start = performance.now();
    const res = await fetch(url + path, { headers: { authorization: `Bearer ${tokens[role]}` } });
    await res.arrayBuffer();
    const took = performance.now() - start;
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
    return took;
  };
  const random = () => 1 + Math.floor(Math.random() * N);
  const range = (days: number) => `campaign=${campaign}&from=${day(CALLS_PER_DEBTOR - days)}&to=${day(CALLS_PER_DEBTOR - 1)}`;
  const cases: [string, string, () => string, ('operator' | 'admin')?][] = [
    ['Campaigns', 'GET /campaigns?limit=20', () => '/campaigns?limit=20&offset=0'],
    ['Campaigns', 'GET /campaigns/:id/stats', () => `/campaigns/${campaign}/stats`],
    ['Upload', 'GET /campaigns/:id/imports', () => `/campaigns/${campaign}/imports`],
    ['Live', 'GET /campaigns/:id/live (each SSE event)', () => `/campaigns/${campaign}/live`],
    ['Debtor', 'GET /debtors?q=D… (number)', () => `/debtors?q=D${random()}`],
    ['Debtor', 'GET /debtors/:id/timeline', () => `/debtors/${random()}/timeline`],
    ['Reports', 'GET /reports/funnel (1 day)', () => `/reports/funnel?${range(1)}`],
    ['Reports', 'GET /reports/answer-rate (1 day)', () => `/reports/answer-rate?${range(1)}`],
    ['Reports', 'GET /reports/funnel (5 days)', () => `/reports/funnel?${range(5)}`],
    ['Reports', 'GET /reports/answer-rate (5 days)', () => `/reports/answer-rate?${range(5)}`],
    ['Admin', 'GET /tokens', () => '/tokens', 'admin'],
    ['Admin', 'GET /agents', () => '/agents', 'admin'],
    ['Admin', 'GET /admin/config', () => '/admin/config', 'admin'],
  ];
  try {
    console.log(`| page | request | median | p99 |\n| --- | --- | --- | --- |`);
    for (const [page, label, path, role] of cases) {
      await get(path(), role); // warm the statement
      const ms: number[] = [];
      for (let i = 0; i < REQUESTS; i++) ms.push(await get(path(), role));
      console.log(`| ${page} | \`${label}\` | ${pct(ms, 0.5).toFixed(1)} ms | ${pct(ms, 0.99).toFixed(1)} ms |`);
    }
  } finally {
    await app.close();
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
    else console.log(`kept ${path}`);
  }
}

await main();
