/**
 * Issue 14 page-speed benchmark for the console's debtor page: a store of N debtors (one
 * phone, one claim and one pending contact each, default 1,000,000) and 5 calls per debtor
 * (5,000,000), an SMS for one debtor in five and a disposition for one in ten; then the
 * debtor routes are timed over HTTP (the app without telephony, a real socket):
 * GET /debtors?q= by debtor number, phone (national form), invoice and a name prefix, and
 * GET /debtors/:id/timeline, each for random debtors; median and p99 in ms.
 *
 *   node --import tsx scripts/bench-debtor-lookup.ts [--debtors 1000000] [--requests 200] [--keep]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CALLS_PER_DEBTOR, name, phone, seedConsoleStore } from './lib/console-seed.ts';
import { loadConfig } from '../src/config/load.ts';
import { createApp } from '../src/app.ts';
import { silentLogger } from '../src/lib/log.ts';
import { createToken } from '../src/http/tokens.ts';

const { values } = parseArgs({ options: { debtors: { type: 'string' }, requests: { type: 'string' }, keep: { type: 'boolean' } } });
const N = Number(values.debtors ?? 1_000_000);
const REQUESTS = Number(values.requests ?? 200);
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bereik-bench-debtors-'));
  const path = join(dir, 'bereik.sqlite');
  const t0 = performance.now();
  seedConsoleStore(path, N);
  console.log(`seed: ${((performance.now() - t0) / 1000).toFixed(0)} s (${N.toLocaleString('en')} debtors, ${(N * CALLS_PER_DEBTOR).toLocaleString('en')} calls)`);
  const config = loadConfig({}, { http: { host: '127.0.0.1', port: 0 }, db: { path }, log: { level: 'silent' }, tts: { cacheDir: join(dir, 'tts') } });
  const app = await createApp({ config, log: silentLogger(), telephony: false });
  const url = await app.listen();
  const { token } = createToken(app.deps.store.tokens, app.deps.clock, { name: 'bench', role: 'operator' });
  const get = async (path: string) => {
    const start = performance.now();
    const res = await fetch(url + path, { headers: { authorization: `Bearer ${token}` } });
    const body = (await res.json()) as { items?: unknown[]; entries?: unknown[] };
    const took = performance.now() - start;
    // Every case names a debtor that exists: an empty answer would time nothing.
    if (res.status !== 200 || (body.items ?? body.entries)!.length === 0) throw new Error(`${path}: ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
    return took;
  };
  const random = () => 1 + Math.floor(Math.random() * N);
  const cases: Record<string, () => string> = {
    'search debtor number': () => `/debtors?q=D${random()}`,
    'search phone (06-…)': () => `/debtors?q=${encodeURIComponent('06-1' + phone(random()).slice(5))}`,
    'search invoice': () => `/debtors?q=INV-${random()}`,
    // "Anna Jansen": a tenth of all debtors start so; the page holds 20.
    'search name prefix (20 a page)': () => `/debtors?q=${encodeURIComponent(name(random()).split(' ').slice(0, 2).join(' '))}`,
    'timeline (50 entries)': () => `/debtors/${random()}/timeline`,
  };
  try {
    for (const [label, path] of Object.entries(cases)) {
      await get(path()); // warm the statement
      const ms: number[] = [];
      for (let i = 0; i < REQUESTS; i++) ms.push(await get(path()));
      console.log(`${label.padEnd(32)} median ${pct(ms, 0.5).toFixed(1)} ms   p99 ${pct(ms, 0.99).toFixed(1)} ms`);
    }
  } finally {
    await app.close();
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
    else console.log(`kept ${path}`);
  }
}

await main();
