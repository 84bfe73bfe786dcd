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
import { openSqliteStore, sqliteHandle } from '../src/store/sqlite.ts';
import { loadConfig } from '../src/config/load.ts';
import { createApp } from '../src/app.ts';
import { silentLogger } from '../src/lib/log.ts';
import { createToken } from '../src/http/tokens.ts';

const { values } = parseArgs({ options: { debtors: { type: 'string' }, requests: { type: 'string' }, keep: { type: 'boolean' } } });
const N = Number(values.debtors ?? 1_000_000);
const REQUESTS = Number(values.requests ?? 200);
const CALLS_PER_DEBTOR = 5;
const AT = '2026-11-01T08:00:00.000Z';
const FIRST = ['Anna', 'Bram', 'Cor', 'Daan', 'Eva', 'Fleur', 'Gijs', 'Hanna', 'Ivo', 'Joke'];
const name = (d: number) => `${FIRST[d % 10]} ${['Jansen', 'de Vries', 'Bakker', 'Visser', 'Smit'][d % 5]} ${d}`;
const phone = (d: number) => `+3161${String(d).padStart(7, '0')}`;
const time = (d: number, i: number) => new Date(Date.parse(AT) + (d % 86_400) * 1000 + i * 86_400_000).toISOString();

function seed(path: string): void {
  const store = openSqliteStore(path);
  const db = sqliteHandle(store);
  db.pragma('foreign_keys = OFF');
  const campaign = Number(db.prepare(`INSERT INTO campaigns (name, mode, state, caller_id, settings, created_at, updated_at) VALUES ('bench', 'agentless', 'running', '+31201234567', '{}', ?, ?)`).run(AT, AT).lastInsertRowid);
  const s = {
    debtor: db.prepare(`INSERT INTO debtors (id, external_ref, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`),
    phone: db.prepare(`INSERT INTO phones (debtor_id, e164, created_at, updated_at) VALUES (?, ?, ?, ?)`),
    claim: db.prepare(`INSERT INTO claims (id, debtor_id, creditor, invoice_ref, amount_cents, created_at, updated_at) VALUES (?, ?, 'Energie BV', ?, 12345, ?, ?)`),
    contact: db.prepare(`INSERT INTO contacts (id, campaign_id, claim_id, debtor_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`),
    call: db.prepare(`INSERT INTO calls (id, direction, campaign_id, contact_id, debtor_id, to_number, state, disposition, dtmf_path, created_at, answered_at, ended_at)
      VALUES (?, 'outbound', ?, ?, ?, ?, 'ended', 'answered', '1', ?, ?, ?)`),
    message: db.prepare(`INSERT INTO messages (channel, source, debtor_id, claim_id, to_addr, sender, body, status, next_attempt_at, created_at, updated_at)
      VALUES ('sms', 'campaign', ?, ?, ?, 'Incasso', 'Betaal via de link', 'delivered', ?, ?, ?)`),
    disposition: db.prepare(`INSERT INTO dispositions (claim_id, kind, created_at) VALUES (?, 'promise_to_pay', ?)`),
  };
  const per = 50_000;
  for (let start = 1; start <= N; start += per) {
    db.transaction(() => {
      for (let d = start; d < start + per && d <= N; d++) {
        s.debtor.run(d, `D${d}`, name(d), AT, AT);
        s.phone.run(d, phone(d), AT, AT);
        s.claim.run(d, d, `INV-${d}`, AT, AT);
        s.contact.run(d, campaign, d, d, AT, AT);
        for (let i = 0; i < CALLS_PER_DEBTOR; i++) s.call.run(`c${d}-${i}`, campaign, d, d, phone(d), time(d, i), time(d, i), time(d, i));
        if (d % 5 === 0) s.message.run(d, d, phone(d), time(d, 1), time(d, 1), time(d, 1));
        if (d % 10 === 0) s.disposition.run(d, time(d, 2));
      }
    })();
    process.stdout.write(`\rseeded ${Math.min(start + per - 1, N).toLocaleString('en')} debtors`);
  }
  process.stdout.write('\n');
  db.exec('ANALYZE');
  store.close();
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bereik-bench-debtors-'));
  const path = join(dir, 'bereik.sqlite');
  const t0 = performance.now();
  seed(path);
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
