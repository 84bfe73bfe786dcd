/**
 * Load benchmark of the telephony path: Bereik's ARI client (src/telephony, this
 * process) against the simulated Asterisk (a child process), over real HTTP and
 * WebSocket on loopback, in real time (no clock scaling).
 *
 * Each call: originate → StasisStart → answer → play a long message → the phone presses
 * 1 → the app stops the message (barge-in) and plays goodbye → hang up when it ends.
 * Calls are originated at a steady rate; the key is pressed once every call of the run is
 * up, so the run holds N calls at once.
 *
 * Prints per run: calls/s sustained, DTMF → next play latency (measured inside the
 * simulator on one clock: from sending ChannelDtmfReceived to handling the client's next
 * play request, so the WebSocket hop, the client's work and the HTTP hop are all in),
 * event-loop delay of both processes, and RSS.
 *
 *   node --import tsx scripts/bench-sim.ts [--calls 100,500,1000] [--rate 50]
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SystemClock } from '../src/lib/clock.ts';
import { silentLogger } from '../src/lib/log.ts';
import { silentWav } from '../src/tts/wav.ts';

type FromChild =
  | { type: 'ready'; url: string; user: string; password: string }
  | { type: 'report'; latencies: number[]; loopP99: number; loopMax: number; rssMb: number; ended: number };

const ROLE = process.argv.includes('--sim-child') ? 'sim' : 'bench';

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}


// ---- the simulator process ----------------------------------------------------------

async function simChild(): Promise<void> {
  const { startSim } = await import('../src/sim/index.ts');
  const keyAfterMs = Number(process.env.BENCH_KEY_AFTER_MS ?? 5000);
  const sim = await startSim({
    scenario: {
      endpoints: ['trunk'],
      default: { outcome: 'answer', ringMs: 2000, keys: [{ afterPrompt: 1, delayMs: keyAfterMs, keys: '1' }], hangup: { idleMs: 120000 } },
    },
  });
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  let latencies: number[] = [];
  let ended = 0;
  const dtmfAt = new Map<string, number>();
  sim.asterisk.on('callEnded', () => ended++);
  sim.asterisk.hub.tap = (_app, e) => {
    if (e.type === 'ChannelDtmfReceived') dtmfAt.set((e.channel as { id: string }).id, performance.now());
    else if (e.type === 'PlaybackStarted') {
      const target = String((e.playback as { target_uri: string }).target_uri).slice('channel:'.length);
      const t = dtmfAt.get(target);
      if (t !== undefined) {
        latencies.push(performance.now() - t);
        dtmfAt.delete(target);
      }
    }
  };
  process.on('message', (m: { type: string }) => {
    if (m.type === 'report') {
      const msg: FromChild = {
        type: 'report',
        latencies,
        loopP99: loop.percentile(99) / 1e6,
        loopMax: loop.max / 1e6,
        rssMb: process.memoryUsage().rss / 2 ** 20,
        ended,
      };
      process.send?.(msg);
      latencies = [];
      ended = 0;
      loop.reset();
    }
  });
  process.once('SIGTERM', () => void sim.close().then(() => process.exit(0)));
  process.once('disconnect', () => void sim.close().then(() => process.exit(0)));
  process.send?.({ type: 'ready', url: sim.url, user: sim.user, password: sim.password } satisfies FromChild);
}

// ---- the client process ---------------------------------------------------------------

function ask(child: ChildProcess, type: string): Promise<FromChild> {
  return new Promise((resolve) => {
    child.once('message', (m: FromChild) => resolve(m));
    child.send({ type });
  });
}

async function runOnce(n: number, rate: number, messagePath: string, target: { url: string; user: string; password: string }, child: ChildProcess) {
  const { AriTelephony } = await import('../src/telephony/index.ts');
  const clock = new SystemClock();
  const tel = new AriTelephony({ ...target, app: 'bereik', clock, log: silentLogger(), simulated: true, sweepIntervalMs: 0, requestTimeoutMs: 30000 });
  await tel.start();
  await ask(child, 'report'); // reset the simulator's counters
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  let failed = 0;
  const endedAt: number[] = [];
  let live = 0;
  let peak = 0;
  const oneCall = async (i: number): Promise<void> => {
    const call = await tel.originate({
      endpoint: `PJSIP/+3161${String(i).padStart(7, '0')}@trunk`,
      route: { kind: 'app', args: ['outbound', `bench-${i}`] },
      callerId: '+31201234567',
      timeoutSec: 30,
    });
    if (!(await call.whenInStasis())) throw new Error('never reached Stasis');
    peak = Math.max(peak, ++live);
    try {
      await call.answer();
      const message = await call.play(`sound:${messagePath}`);
      await new Promise<void>((resolve) => call.once('dtmf', () => resolve()));
      await message.stop();
      const bye = await call.play('sound:goodbye');
      await bye.finished;
      await call.hangup();
      await call.whenEnded();
      endedAt.push(performance.now());
    } finally {
      live--;
    }
  };
  const t0 = performance.now();
  const all: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    all.push(oneCall(i).catch(() => void failed++));
    // Steady pacing: the next originate is due at t0 + i/rate.
    await clock.delay(Math.max(0, t0 + ((i + 1) * 1000) / rate - performance.now()));
  }
  const originSecs = (performance.now() - t0) / 1000;
  await Promise.all(all);
  const secs = (performance.now() - t0) / 1000;
  const rep = (await ask(child, 'report')) as Extract<FromChild, { type: 'report' }>;
  await tel.stop();
  const lat = rep.latencies.sort((a, b) => a - b);
  return {
    calls: n,
    failed,
    peakConcurrent: peak,
    originatesPerSec: n / originSecs,
    // Completions from the first to the last: the rate the system kept up under full load.
    callsPerSec: endedAt.length > 1 ? ((endedAt.length - 1) * 1000) / (endedAt.at(-1)! - endedAt[0]!) : NaN,
    wallSecs: secs,
    p50: pct(lat, 50),
    p99: pct(lat, 99),
    max: lat.at(-1) ?? NaN,
    over20: lat.filter((x) => x > 20).length,
    samples: lat.length,
    clientLoopP99: loop.percentile(99) / 1e6,
    simLoopP99: rep.loopP99,
    clientRssMb: process.memoryUsage().rss / 2 ** 20,
    simRssMb: rep.rssMb,
  };
}

async function bench(): Promise<void> {
  const { values } = parseArgs({ options: { calls: { type: 'string', default: '100,500,1000' }, rate: { type: 'string', default: '50' } } });
  const sizes = values.calls.split(',').map(Number);
  const rate = Number(values.rate);
  const dir = mkdtempSync(join(tmpdir(), 'bereik-bench-'));
  try {
    for (const n of sizes) {
      // The key comes once every call of the run is up: N/rate seconds of ramp, plus ring time and margin.
      const keyAfterMs = Math.ceil((n / rate) * 1000) + 3000;
      writeFileSync(join(dir, 'message.wav'), silentWav(keyAfterMs + 10000));
      const child = fork(fileURLToPath(import.meta.url), ['--sim-child'], { execArgv: ['--import', 'tsx'], env: { ...process.env, BENCH_KEY_AFTER_MS: String(keyAfterMs) } });
      try {
        const ready = (await new Promise<FromChild>((resolve) => child.once('message', resolve))) as Extract<FromChild, { type: 'ready' }>;
        const r = await runOnce(n, rate, join(dir, 'message'), ready, child);
        const line =
          `${n} calls at ${r.originatesPerSec.toFixed(1)} originates/s: peak ${r.peakConcurrent} concurrent, ${r.failed} failed, ` +
          `${r.callsPerSec.toFixed(1)} calls/s completed sustained (run ${r.wallSecs.toFixed(0)} s); DTMF → next play p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, max ${r.max.toFixed(2)} ms (${r.samples} samples, ${r.over20} over 20 ms); ` +
          `event-loop delay p99 client ${r.clientLoopP99.toFixed(1)} ms, sim ${r.simLoopP99.toFixed(1)} ms; RSS client ${r.clientRssMb.toFixed(0)} MB, sim ${r.simRssMb.toFixed(0)} MB`;
        console.log(line);
      } finally {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (ROLE === 'sim') await simChild();
else await bench();
