/**
 * E-mail figures: N pay-link e-mails (rendered from the real template, with List-Unsubscribe
 * headers) through the production channel (nodemailer's SMTP pool) to the test mail server
 * over loopback SMTP. The server runs in a child process so the figures are the sender's:
 * mails/s, submit → answer p50/p99 (queueing in the pool included), peak RSS of each side.
 *   node --import tsx scripts/bench-email.ts [--count 2000] [--pool 4] [--concurrency 16]
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SystemClock } from '../src/lib/clock.ts';
import { silentLogger } from '../src/lib/log.ts';
import { createEmailChannel } from '../src/messaging/email/smtp-channel.ts';
import { listUnsubscribeHeaders, renderPayLinkEmail } from '../src/messaging/email/templates.ts';
import { startSimMailServer } from '../src/sim/mail-server.ts';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '2000' },
    pool: { type: 'string', default: '4' },
    concurrency: { type: 'string', default: '16' },
    serve: { type: 'boolean', default: false },
  },
});

if (values.serve) {
  // The child: the test mail server, counting only, reporting its peak RSS when asked.
  const server = await startSimMailServer({ keep: false });
  let peak = process.memoryUsage().rss;
  setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100).unref();
  console.log(JSON.stringify({ port: server.port }));
  createInterface({ input: process.stdin }).on('line', async () => {
    const cpu = process.cpuUsage();
    console.log(JSON.stringify({ received: server.received, rssMb: Math.max(peak, process.memoryUsage().rss) / 2 ** 20, cpuS: (cpu.user + cpu.system) / 1e6 }));
    await server.close();
    process.exit(0);
  });
} else {
  await bench();
}

async function bench(): Promise<void> {
  const count = Number(values.count);
  const pool = Number(values.pool);
  const concurrency = Number(values.concurrency);
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--serve'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const { port } = JSON.parse((await lines.next()).value as string) as { port: number };

  const channel = createEmailChannel(
    {
      host: '', port: 587, security: 'starttls', user: '', password: '', passwordFile: '',
      from: '"Incasso Noord" <noreply@incasso-noord.example>', bounceAddress: 'bounces@incasso-noord.example',
      poolSize: pool, maxMessagesPerConnection: 1000, ratePerSecond: 0, connectionTimeoutMs: 10_000, socketTimeoutMs: 60_000,
    },
    { clock: new SystemClock(), log: silentLogger(), target: { host: '127.0.0.1', port } },
  );
  await channel.start();

  const baseRss = process.memoryUsage().rss;
  const cpu0 = process.cpuUsage();
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  const times: number[] = [];
  const failures = new Map<string, number>();
  let next = 0;
  const t0 = performance.now();
  async function worker(): Promise<void> {
    while (next < count) {
      const i = next++;
      const rendered = renderPayLinkEmail({
        language: i % 5 === 0 ? 'en' : 'nl',
        debtorName: `Debiteur ${i}`,
        creditorName: 'Energie Noord',
        senderName: 'Incasso Noord',
        invoiceRefs: [`F-2026-${i}`, `F-2026-${i + 1}`],
        totalCents: 10_000 + i * 137,
        payUrl: `https://bereik.example/p/tok${i.toString(36).padStart(16, '0')}`,
        unsubscribeUrl: `https://bereik.example/u/tok${i.toString(36).padStart(16, '0')}`,
        phone: '020 123 45 67',
      });
      const headers = listUnsubscribeHeaders({ url: `https://bereik.example/u/tok${i}`, mailto: 'unsubscribe@incasso-noord.example' });
      const t = performance.now();
      const result = await channel.submit({ messageId: i, to: `debiteur${i}@example.nl`, from: '', ...rendered, headers });
      times.push(performance.now() - t);
      if (!result.ok) failures.set(result.code, (failures.get(result.code) ?? 0) + 1);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const cpu = process.cpuUsage(cpu0);
  await channel.stop();

  child.stdin!.write('report\n');
  const server = JSON.parse((await lines.next()).value as string) as { received: number; rssMb: number; cpuS: number };
  const sorted = times.sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
  console.log(`e-mail: ${count} pay-link e-mails, pool ${pool}, ${concurrency} submits at a time, test mail server in a child process`);
  console.log(`  throughput:        ${(count / seconds).toFixed(0)} mails/s (${seconds.toFixed(2)} s)`);
  console.log(`  submit → answer:   p50 ${pct(50).toFixed(1)} ms, p99 ${pct(99).toFixed(1)} ms, max ${sorted.at(-1)!.toFixed(1)} ms`);
  console.log(`  delivered:         ${server.received} received by the server; failures: ${failures.size ? JSON.stringify(Object.fromEntries(failures)) : 'none'}`);
  console.log(`  peak RSS:          sender ${(peak / 2 ** 20).toFixed(0)} MB (${(baseRss / 2 ** 20).toFixed(0)} MB before the first mail), test mail server ${server.rssMb.toFixed(0)} MB`);
  console.log(`  CPU:               sender ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s (${(((cpu.user + cpu.system) / 1e6 / seconds) * 100).toFixed(0)} % of one core), test mail server ${server.cpuS.toFixed(2)} s in all`);
}
