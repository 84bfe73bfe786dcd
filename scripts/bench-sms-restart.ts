/**
 * The outbox end to end, and what kill -9 does to it (issue 12, benchmark):
 *
 *   node --import tsx scripts/bench-sms-restart.ts [--messages 20000] [--binds 1] [--window 50] [--no-kill]
 *
 * The parent runs the simulated SMSC (real SMPP over TCP) and counts what every handset
 * receives. A child process runs Bereik's outbox worker and SMPP channel on a SQLite file
 * with N queued messages (each body carries its outbox id). Halfway the parent kills the
 * child with SIGKILL, starts a new one on the same file, and waits until nothing is queued.
 * It prints: messages/s through the whole path (store → worker → SMPP → SMSC → receipt),
 * how many arrived twice (must be 0), how many the restart marked uncertain, how many were
 * lost (queued but never sent and not uncertain: must be 0), and the child's peak RSS.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    messages: { type: 'string', default: '20000' },
    binds: { type: 'string', default: '1' },
    window: { type: 'string', default: '50' },
    'no-kill': { type: 'boolean', default: false },
    child: { type: 'string' },
    port: { type: 'string' },
    seed: { type: 'boolean', default: false },
  },
});

const N = Number(args.messages);
const DEBTORS = Math.ceil(N / 40); // 40 messages a debtor, under a cap of 50 a week
const MONDAY_10_AMSTERDAM = Date.parse('2026-11-23T09:00:00Z');
const number = (i: number) => `+3161${String(i).padStart(7, '0')}`;

if (args.child) await child(args.child, Number(args.port), args.seed);
else await parent();

async function child(dbPath: string, port: number, seed: boolean): Promise<void> {
  const { openSqliteStore, sqliteHandle } = await import('../src/store/sqlite.ts');
  const { ScaledClock, isoUtc } = await import('../src/lib/clock.ts');
  const { createLogger } = await import('../src/lib/log.ts');
  const { createSmsChannel } = await import('../src/messaging/sms/index.ts');
  const { OutboxWorker } = await import('../src/messaging/outbox.ts');
  const store = openSqliteStore(dbPath);
  const clock = new ScaledClock(1, MONDAY_10_AMSTERDAM);
  const log = createLogger({ level: 'warn' });
  if (seed) {
    const db = sqliteHandle(store);
    const at = isoUtc(clock.now());
    db.transaction(() => {
      const debtor = db.prepare(`INSERT INTO debtors (external_ref, name, created_at, updated_at) VALUES (?, 'Bench', ?, ?)`);
      for (let i = 0; i < DEBTORS; i++) debtor.run(`B${i}`, at, at);
      for (let i = 0; i < N; i++) {
        const d = i % DEBTORS;
        store.messages.queue({ channel: 'sms', source: 'api', debtorId: d + 1, to: number(d), sender: 'number:+3197010587400', language: 'nl', body: `Bench bericht #${i + 1}` }, at);
      }
    })();
    process.send?.({ seeded: N });
  }
  const binds = Array.from({ length: Number(args.binds) }, (_, i) => ({ name: `b${i + 1}`, host: '127.0.0.1', port, systemId: 'bereik', password: 'bench', windowSize: Number(args.window), maxPerSecond: 100_000 }));
  const sms = createSmsChannel({ binds }, { clock, log });
  const worker = new OutboxWorker({
    store, clock, log, channels: { sms },
    settings: { smsSender: 'number:+3197010587400', emailFrom: '', maxPer7Days: 50, maxInFlight: Number(args.window) * binds.length * 2, maxAttempts: 50, pollMs: 200 },
  });
  const { uncertain } = worker.start();
  await sms.start();
  let peak = 0;
  const report = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
    const counts = Object.fromEntries(store.messages.countByStatus().map((r) => [r.status, r.n]));
    process.send?.({ counts, rssPeak: peak, uncertainAtStart: uncertain });
  }, 250);
  process.on('message', async (m: { stop?: boolean }) => {
    if (!m.stop) return;
    clearInterval(report);
    await worker.stop();
    await sms.stop();
    store.close();
    process.exit(0);
  });
}

async function parent(): Promise<void> {
  const { startSimSmsc } = await import('../src/sim/smsc.ts');
  const smsc = await startSimSmsc({ credentials: [{ systemId: 'bereik', password: 'bench' }], receiptDelayMs: 50 });
  const dir = mkdtempSync(join(tmpdir(), 'bench-sms-restart-'));
  const dbPath = join(dir, 'bench.sqlite');
  const received = () => smsc.stats.submits;
  type Report = { seeded?: number; counts?: Record<string, number>; rssPeak?: number; uncertainAtStart?: number };
  const run = (seed: boolean) => {
    const c = fork(import.meta.filename, ['--child', dbPath, '--port', String(smsc.port), '--binds', String(args.binds), '--window', String(args.window), '--messages', String(N), ...(seed ? ['--seed'] : [])], { execArgv: ['--import', 'tsx'] });
    let last: Report = {};
    c.on('message', (m: Report) => (last = { ...last, ...m }));
    return { c, last: () => last };
  };
  const waitFor = async (what: string, f: () => boolean, ms = 600_000) => {
    const end = Date.now() + ms;
    let shown = Date.now();
    while (!f()) {
      if (process.env.BENCH_DEBUG && Date.now() - shown > 1000) {
        shown = Date.now();
        console.error(what, smsc.stats.submits, JSON.stringify(first.last().counts));
      }
      if (Date.now() > end) throw new Error(`timed out: ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const exited = (c: ChildProcess) => new Promise<void>((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once('exit', () => r())));

  const first = run(true);
  await waitFor('seeding', () => first.last().seeded === N);
  const t0 = performance.now();
  let peak = 0;
  if (!args['no-kill']) {
    await waitFor('half sent', () => received() >= N / 2);
    first.c.kill('SIGKILL');
    await exited(first.c);
    peak = Math.max(peak, first.last().rssPeak ?? 0);
  }
  const killedAt = received();
  const second = args['no-kill'] ? first : run(false);
  // Settled: nothing queued or being submitted, and the receipts have stopped coming (the
  // receipts the simulated SMSC addressed to the killed process's session are gone with it,
  // so a few messages may stay `submitted`).
  let lastSubmitted = -1;
  let stableSince = 0;
  const done = () => {
    const k = second.last().counts;
    if (!k || (k.queued ?? 0) !== 0 || (k.submitting ?? 0) !== 0) return false;
    const submitted = k.submitted ?? 0;
    if (submitted !== lastSubmitted) [lastSubmitted, stableSince] = [submitted, Date.now()];
    return submitted === 0 || Date.now() - stableSince > 3000;
  };
  await waitFor('every message settled', done);
  const seconds = (performance.now() - t0) / 1000;
  peak = Math.max(peak, second.last().rssPeak ?? 0);
  const counts = second.last().counts ?? {};
  second.c.send({ stop: true });
  await exited(second.c);

  let twice = 0;
  const arrived = new Set<number>();
  for (let d = 0; d < DEBTORS; d++) {
    const seen = new Map<string, number>();
    for (const m of smsc.inbox(number(d))) seen.set(m.text, (seen.get(m.text) ?? 0) + 1);
    for (const [text, n] of seen) {
      arrived.add(Number(/#(\d+)$/.exec(text)?.[1]));
      if (n > 1) twice += n - 1;
    }
  }
  // Accounted for: arrived, or known not to have (failed, cancelled), or left for an operator (uncertain).
  const { openSqliteStore } = await import('../src/store/sqlite.ts');
  const store = openSqliteStore(dbPath);
  const accounted = new Set(arrived);
  for (const status of ['uncertain', 'failed', 'cancelled'] as const) {
    for (let before: number | undefined; ; ) {
      const page = store.messages.list({ status, limit: 1000, ...(before ? { beforeId: before } : {}) });
      for (const m of page) accounted.add(m.id);
      if (page.length < 1000) break;
      before = page.at(-1)!.id;
    }
  }
  store.close();
  const unique = arrived.size;
  const uncertain = counts.uncertain ?? 0;
  const lost = N - accounted.size;
  console.log(`messages ${N}, binds ${args.binds}, window ${args.window}${args['no-kill'] ? '' : `, kill -9 after ${killedAt} reached the SMSC`}`);
  console.table({
    'messages/s (queued → delivered, whole run)': Math.round(N / seconds),
    'arrived at the handset': unique,
    'arrived twice (must be 0)': twice,
    'uncertain after the restart': uncertain,
    'delivered': counts.delivered ?? 0,
    'submitted, receipt never came': counts.submitted ?? 0,
    'failed / expired / cancelled': (counts.failed ?? 0) + (counts.expired ?? 0) + (counts.cancelled ?? 0),
    'lost (never sent, not uncertain; must be 0)': Math.max(0, lost),
    'child peak RSS MB': Math.round(peak / 1048576),
  });
  await smsc.close();
  rmSync(dir, { recursive: true, force: true });
  process.exit(twice === 0 && lost <= 0 ? 0 : 1);
}
