/**
 * SMS channel benchmark: N messages through the real SMPP channel (src/messaging/sms) to
 * the simulated SMSC over TCP on loopback, first over one bind, then over two. The SMSC
 * runs in a child process, so the RSS measured is the channel's alone and each side has
 * a core. Prints submits/s, receipts/s, submit_sm → submit_sm_resp p50/p99, submit() call
 * → result p50/p99 (queueing included), and peak RSS.
 *
 *   node --import tsx scripts/bench-sms.ts [messages=100000] [--binds 1,2] [--window 50] [--cpu-prof]
 *   node --import tsx scripts/bench-sms.ts --smsc       (the child: prints its port, runs until killed)
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { SystemClock } from '../src/lib/clock.ts';
import { silentLogger } from '../src/lib/log.ts';
import { createSmsChannel } from '../src/messaging/sms/index.ts';
import { startSimSmsc } from '../src/sim/smsc.ts';

const args = process.argv.slice(2);
const flag = (name: string, dflt: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1]! : dflt;
};

if (args[0] === '--smsc') {
  const sim = await startSimSmsc({ keepInbox: false, receiptDelayMs: 20 });
  process.stdout.write(JSON.stringify({ port: sim.port }) + '\n');
  setInterval(() => process.stdout.write(JSON.stringify(sim.stats) + '\n'), 5000).unref();
  let cpu0 = process.cpuUsage();
  process.on('SIGUSR1', () => (cpu0 = process.cpuUsage()));
  process.on('SIGUSR2', () => {
    const c = process.cpuUsage(cpu0);
    process.stdout.write(JSON.stringify({ cpuMs: (c.user + c.system) / 1000 }) + '\n');
  });
  process.on('SIGTERM', () => void sim.close().then(() => process.exit(0)));
} else if (args[0] === '--run') {
  // One measurement in its own process, so one run's memory does not count in the next's.
  process.stdout.write(JSON.stringify(await run(Number(args[1]), Number(args[2]), Number(args[3]))) + '\n');
  process.exit(0);
} else {
  const N = Number(args.find((a) => /^\d+$/.test(a)) ?? 100_000);
  const bindCounts = flag('--binds', '1,2').split(',').map(Number);
  const window = Number(flag('--window', '50'));
  const prof = args.includes('--cpu-prof') ? ['--cpu-prof', '--cpu-prof-dir=bench-profiles'] : [];
  const rows: string[][] = [];
  for (const binds of bindCounts) {
    const child = spawn(process.execPath, [...prof, '--import', 'tsx', fileURLToPath(import.meta.url), '--run', String(N), String(binds), String(window)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (c) => (out += c));
    await new Promise((r) => child.once('exit', r));
    rows.push(JSON.parse(out.trim().split('\n').at(-1)!) as string[]);
  }
  console.log(`\nSMS channel → simulated SMSC (loopback TCP), ${N} messages of 1 GSM part, window ${window} per bind, no rate limit`);
  const head = ['binds', 'submits/s', 'receipts/s', 'wire p50 ms', 'wire p99 ms', 'submit() p50 ms', 'submit() p99 ms', 'RSS before MB', 'peak RSS MB', 'peak heap MB', 'Bereik CPU', 'SMSC CPU', 'failed'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padStart(widths[i]!)).join(' | ') + ' |';
  console.log(line(head));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const r of rows) console.log(line(r));
}

async function run(n: number, binds: number, window: number): Promise<string[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--smsc'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const port = await new Promise<number>((resolve) => lines.once('line', (l) => resolve(JSON.parse(l).port)));
  const clock = new SystemClock();
  const channel = createSmsChannel(
    {
      binds: Array.from({ length: binds }, (_, i) => ({ name: `b${i + 1}`, host: '127.0.0.1', port, systemId: 'bereik', password: 'secret', windowSize: window, maxPerSecond: 100_000 })),
    },
    { clock, log: silentLogger(), tuning: { unknownReceiptHoldMs: 10_000 } },
  );
  channel.recordLatency = true;
  let receipts = 0;
  let lastReceiptAt = 0;
  channel.on('receipt', () => {
    receipts++;
    lastReceiptAt = performance.now();
  });
  await channel.start();
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let peakRss = rssBefore;
  let peakHeap = 0;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 50);
  const cpu0 = process.cpuUsage();
  child.kill('SIGUSR1');
  const calls: number[] = [];
  let next = 0;
  let failed = 0;
  const t0 = performance.now();
  // Enough callers to keep every window full; the channel's own queue holds the rest.
  const workers = Array.from({ length: window * binds * 2 }, async () => {
    while (next < n) {
      const i = next++;
      const s = performance.now();
      const r = await channel.submit({ messageId: i, to: `+316${String(10_000_000 + i).slice(-8)}`, from: { kind: 'alphanumeric', value: 'Bereik' }, body: `Uw factuur ${i} staat open. Betaal via https://b.nl/p/${i.toString(36)}` });
      calls.push(performance.now() - s);
      if (!r.ok) failed++;
    }
  });
  await Promise.all(workers);
  const submitSec = (performance.now() - t0) / 1000;
  const deadline = performance.now() + 30_000;
  while (receipts < n - failed && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const receiptSec = ((lastReceiptAt || performance.now()) - t0) / 1000;
  clearInterval(sampler);
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const childCpu = new Promise<number>((resolve) => {
    lines.on('line', (l) => {
      const m = JSON.parse(l) as { cpuMs?: number };
      if (m.cpuMs !== undefined) resolve(m.cpuMs);
    });
  });
  child.kill('SIGUSR2');
  const smscCpuMs = await childCpu;
  await channel.stop();
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  const pct = (xs: number[], p: number) => {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
  };
  return [
    String(binds),
    Math.round(n / submitSec).toLocaleString('en'),
    Math.round(receipts / receiptSec).toLocaleString('en'),
    pct(channel.latencies, 50).toFixed(1),
    pct(channel.latencies, 99).toFixed(1),
    pct(calls, 50).toFixed(1),
    pct(calls, 99).toFixed(1),
    (rssBefore / 1024 / 1024).toFixed(0),
    (peakRss / 1024 / 1024).toFixed(0),
    (peakHeap / 1024 / 1024).toFixed(0),
    `${Math.round(((cpu.user + cpu.system) / 1000 / wallMs) * 100)} %`,
    `${Math.round((smscCpuMs / wallMs) * 100)} %`,
    String(failed),
  ];
}
