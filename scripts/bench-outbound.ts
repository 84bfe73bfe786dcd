/**
 * Load benchmark of the outbound path: a campaign of N contacts (imported from a CSV
 * through the real import), dialled by the real Dialer through the real ARI client
 * against the simulated Asterisk in a child process, over HTTP + WebSocket on loopback.
 * Every phone answers after 0.3 s; a stand-in flow plays a 1.4 s message and hangs up
 * (the IVR itself is benchmarked elsewhere). Both processes run on ScaledClocks of the
 * same scale, so ring and message times shrink while the machine's work does not.
 *
 * Prints per run: originates/s sustained (real time), end-to-end calls/s (originate →
 * recorded outcome), dialer tick time p50/p99 (SQL + originate round trips of one tick),
 * database row writes/s, and peak RSS of both processes.
 *
 *   node --import tsx scripts/bench-outbound.ts [--contacts 1000,10000] [--scale 10] [--channels 300]
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ScaledClock } from '../src/lib/clock.ts';
import { silentLogger } from '../src/lib/log.ts';

type FromChild = { type: 'ready'; url: string; user: string; password: string } | { type: 'rss'; mb: number };

const { values } = parseArgs({
  options: {
    contacts: { type: 'string', default: '1000,10000' },
    scale: { type: 'string', default: '10' },
    channels: { type: 'string', default: '300' },
    'sim-child': { type: 'boolean', default: false },
  },
});
const SCALE = Number(values.scale);

// ---- the simulator process -------------------------------------------------------------

if (values['sim-child']) {
  const { startSim } = await import('../src/sim/index.ts');
  const sim = await startSim({
    clock: new ScaledClock(SCALE),
    scenario: { endpoints: ['trunk'], default: { outcome: 'answer', ringMs: 300, hangup: { idleMs: 30_000 } } },
  });
  let peak = 0;
  const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 200);
  process.on('message', (m: { type: string }) => {
    if (m.type === 'rss') process.send?.({ type: 'rss', mb: peak / 2 ** 20 } satisfies FromChild);
  });
  const quit = () => {
    clearInterval(sample);
    void sim.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', quit);
  process.once('disconnect', quit);
  process.send?.({ type: 'ready', url: sim.url, user: sim.user, password: sim.password } satisfies FromChild);
} else {
  await main();
}

// ---- the Bereik process ----------------------------------------------------------------

function pct(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
}

async function main(): Promise<void> {
  const { openDb } = await import('../src/store/db.ts');
  const { DialerStore } = await import('../src/store/dialer.ts');
  const { CampaignService } = await import('../src/campaigns/service.ts');
  const { ImportService } = await import('../src/campaigns/import/service.ts');
  const { AriTelephony } = await import('../src/telephony/index.ts');
  const { Dialer } = await import('../src/dialer/dialer.ts');
  const { campaignStats } = await import('../src/dialer/runtime/stats.ts');

  const sizes = values.contacts.split(',').map(Number);
  const channels = Number(values.channels);
  console.log(`outbound benchmark: clock ×${SCALE} (ring 0.3 s, message 1.4 s of clock time), max ${channels} channels, simulator in a child process`);
  for (const n of sizes) {
    const dir = mkdtempSync(join(tmpdir(), 'bereik-bench-outbound-'));
    const child = fork(fileURLToPath(import.meta.url), ['--sim-child', '--scale', String(SCALE)], { execArgv: ['--import', 'tsx'] });
    const ready = await new Promise<FromChild>((r) => child.once('message', (m: FromChild) => r(m)));
    if (ready.type !== 'ready') throw new Error('simulator did not start');
    // Monday 10:00 in Amsterdam: inside the calling window for the whole run.
    const clock = new ScaledClock(SCALE, Date.parse('2026-11-23T09:00:00Z'));
    const log = silentLogger();
    const db = openDb(join(dir, 'bench.sqlite'));
    try {
      const campaigns = new CampaignService({ db, clock, log });
      const imports = new ImportService({ db, clock, log, campaigns });
      const c = campaigns.create({
        name: `bench ${n}`,
        mode: 'agentless',
        callerId: '+31201234567',
        settings: { amd: false, maxConcurrentChannels: channels, maxCallsPerSecond: 500, maxAttemptsPerDay: 2 },
      });
      const csv = join(dir, 'campaign.csv');
      let text = 'debiteurnummer;naam;telefoon;bedrag;factuurnummer\r\n';
      for (let i = 0; i < n; i++) text += `D${i};Debiteur ${i};06${String(10_000_000 + i)};123,45;F-${i}\r\n`;
      writeFileSync(csv, text);
      const imported = await imports.importFile({ campaignId: c.id, path: csv, fileName: 'campaign.csv' });
      if (imported.rowsImported !== n) throw new Error(`import: ${imported.status}, ${imported.rowsImported} of ${n} rows`);
      campaigns.transition(c.id, 'start');

      const tel = new AriTelephony({ url: ready.url, user: ready.user, password: ready.password, app: 'bereik', clock, log, simulated: true });
      const originated: number[] = [];
      const originate = tel.originate.bind(tel);
      tel.originate = async (o) => {
        const call = await originate(o);
        originated.push(performance.now());
        return call;
      };
      let recorded = 0;
      let lastRecorded = 0;
      let done!: () => void;
      const allDone = new Promise<void>((r) => (done = r));
      const dialer = new Dialer({
        store: new DialerStore(db),
        telephony: tel,
        clock,
        log,
        config: { tickMs: 1000, trunkCps: 1000, endpointTemplate: 'PJSIP/{number}@trunk', outboundContext: 'bereik-outbound' },
        // A stand-in flow: a short message, then hang up, the debtor "asked for a pay link".
        startFlow: async (call, ctx) => {
          const pb = await call.play('sound:hello-world');
          await pb.finished;
          await call.hangup();
          const info = await call.whenEnded();
          return {
            callId: ctx.callId, direction: 'outbound', campaignId: ctx.campaignId, contactId: ctx.contactId, debtorId: ctx.debtorId, claimId: ctx.claimId,
            disposition: 'answered', result: 'paylink_requested', amdStatus: null, identityConfirmed: true, messageHeard: true, dtmfPath: '1',
            answeredAt: null, endedAt: new Date(clock.now()).toISOString(), hangupCause: info.cause, hungUpBy: 'app',
          };
        },
        onRecorded: () => {
          recorded++;
          lastRecorded = performance.now();
          if (recorded === n) done();
        },
      });
      const ticks: number[] = [];
      const selects: number[] = [];
      const tick = dialer.tick.bind(dialer);
      dialer.tick = async () => {
        const r = await tick();
        ticks.push(r.durationMs);
        selects.push(r.selectMs);
        return r;
      };
      let rssPeak = 0;
      const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 200);
      const changes = () => (db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
      await tel.start();
      const writes0 = changes();
      const t0 = performance.now();
      await dialer.start();
      // A stalled run says where it stands instead of hanging.
      let seen = -1;
      const watch = setInterval(() => {
        if (recorded === seen) console.error(`  stalled at ${recorded} of ${n}: ${JSON.stringify(campaignStats(new DialerStore(db), c.id))}`);
        seen = recorded;
      }, 30_000);
      await allDone;
      clearInterval(watch);
      // The dialer closes the campaign on its next tick.
      for (let i = 0; i < 100 && campaigns.get(c.id).state !== 'finished'; i++) await new Promise((r) => setTimeout(r, 20));
      const t1 = performance.now();
      const writes = changes() - writes0;
      clearInterval(sampler);
      await dialer.stop();
      await tel.stop();
      child.send({ type: 'rss' });
      const simRss = await new Promise<FromChild>((r) => child.once('message', (m: FromChild) => r(m)));
      const stats = campaignStats(new DialerStore(db), c.id)!;
      const span = (originated.at(-1)! - originated[0]!) / 1000;
      const sorted = [...ticks].sort((a, b) => a - b);
      const sel = [...selects].sort((a, b) => a - b);
      console.log(`\n${n.toLocaleString('en')} contacts: ${stats.contacts.done} done, ${stats.calls.total} calls, campaign ${stats.state}`);
      console.log(`  originates/s sustained: ${(originated.length / span).toFixed(0)} (${originated.length} in ${span.toFixed(1)} s)`);
      console.log(`  end-to-end calls/s:     ${(recorded / ((lastRecorded - t0) / 1000)).toFixed(0)} (${recorded} recorded in ${((t1 - t0) / 1000).toFixed(1)} s)`);
      console.log(`  dialer tick:            p50 ${pct(sorted, 50).toFixed(1)} ms, p99 ${pct(sorted, 99).toFixed(1)} ms, max ${sorted.at(-1)!.toFixed(1)} ms over ${ticks.length} ticks (choosing + claiming: p50 ${pct(sel, 50).toFixed(1)} ms, p99 ${pct(sel, 99).toFixed(1)} ms; the rest is waiting for originates)`);
      console.log(`  database row writes/s:  ${(writes / ((t1 - t0) / 1000)).toFixed(0)} (${writes.toLocaleString('en')} rows)`);
      console.log(`  peak RSS:               Bereik ${(rssPeak / 2 ** 20).toFixed(0)} MB, simulator ${simRss.type === 'rss' ? simRss.mb.toFixed(0) : '?'} MB`);
    } finally {
      child.kill('SIGTERM');
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
