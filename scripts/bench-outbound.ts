/**
 * Load benchmark of the outbound path (issue 4): an agentless campaign of N contacts
 * (imported from a CSV through the real import) on the simulated Asterisk in a child
 * process, over HTTP + WebSocket on loopback. Both processes run ScaledClocks of the same
 * scale, so rings and prompts shrink while the machine's work does not.
 *
 * Standard run (default): the whole engine as the app builds it (createEngine: Dialer,
 * ARI client, the real IVR of src/calls with the silent TTS, no agents), campaign at
 * 300 channels and 50 calls/s (trunk 50 calls/s), AMD off. Every phone answers after
 * 0.3–2.0 s (by last digit), presses 1 after the identity question and 1 after the menu:
 * identity → claim message → menu → pay link → goodbye. Prints calls completed per minute
 * (real and clock time), DTMF → next prompt latency (real ms, measured in the simulator:
 * from sending ChannelDtmfReceived to the next play request on that channel), peak RSS of
 * both processes, contacts dialled twice (store and simulator; must be 0), final statuses.
 * The run ends when the campaign finishes, or when every contact had its first attempt
 * and nothing is live (a phone that hung up is retried hours later). Clock ×5 by default;
 * --scale 1 runs in real time.
 *
 * Ceiling run (--ceiling): a stand-in flow (play 1.4 s, hang up), calls-per-second budgets
 * lifted, to find how fast the dialer + ARI client can originate on this machine.
 *
 *   node --import tsx scripts/bench-outbound.ts [--contacts 10000] [--scale 5] [--channels 300] [--cps 50]
 *   node --import tsx scripts/bench-outbound.ts --ceiling [--contacts 1000,10000] [--scale 10]
 * BENCH_LOG=warn shows Bereik's warnings (a run that does not finish).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ScaledClock } from '../src/lib/clock.ts';
import { createLogger, silentLogger, type Logger } from '../src/lib/log.ts';
import type { Db } from '../src/store/db.ts';
import type { CampaignSettings } from '../src/campaigns/settings.ts';
import type { PhoneBehaviour } from '../src/sim/index.ts';
import { createSqliteStore } from '../src/store/sqlite.ts';

interface SimReport {
  rssMb: number;
  /** Real ms from ChannelDtmfReceived sent to the next PlaybackStarted on that channel: after the identity key, after the menu key. */
  latencies: [identity: number[], menu: number[]];
  outboundCalls: number;
  /** Numbers that got more than one call, and calls that started while the same number had one live. */
  numbersCalledTwice: number;
  overlapping: number;
  /** How many prompts each call heard → calls. */
  promptsHeard: Record<string, number>;
  /** Mean channel life (created → destroyed), clock ms. */
  meanCallMs: number;
  /** CPU (user + system) of the simulator process since it started, ms. */
  cpuMs: number;
}
type FromChild = { type: 'ready'; url: string; user: string; password: string } | ({ type: 'report' } & SimReport);

const { values } = parseArgs({
  options: {
    contacts: { type: 'string' },
    scale: { type: 'string' },
    channels: { type: 'string', default: '300' },
    cps: { type: 'string', default: '50' },
    ceiling: { type: 'boolean', default: false },
    amd: { type: 'boolean', default: false },
    tts: { type: 'string', default: 'silent' },
    'sim-child': { type: 'boolean', default: false },
  },
});
const CEILING = values.ceiling;
// ×5 keeps the standard run's 300 live IVR calls within what 2 shared cores answer in time.
const SCALE = Number(values.scale ?? (CEILING ? 10 : 5));

// ---- the simulator process -------------------------------------------------------------

/** A person who answers after ringMs and says yes to who they are, then picks 1 (pay link) after the menu. */
function payer(ringMs: number): PhoneBehaviour {
  return {
    outcome: 'answer',
    ringMs,
    keys: [
      { afterPrompt: 1, on: 'end', delayMs: 300, keys: '1' },
      { afterPrompt: 3, on: 'end', delayMs: 300, keys: '1' },
    ],
    hangup: { idleMs: 15_000 },
  };
}

async function simChild(): Promise<void> {
  const { startSim } = await import('../src/sim/index.ts');
  // Ring times 0.3–2.0 s spread over the numbers by their last digit.
  const phones = Object.fromEntries(Array.from({ length: 10 }, (_, d) => [`+316*${d}`, payer(300 + d * 190)]));
  const sim = await startSim({
    clock: new ScaledClock(SCALE),
    scenario: CEILING
      ? { endpoints: ['trunk'], default: { outcome: 'answer', ringMs: 300, hangup: { idleMs: 30_000 } } }
      : { endpoints: ['trunk'], phones, default: payer(1000) },
  });
  let peak = 0;
  const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 200);
  // Real-time stamps: the clock-ms records of the phones are too coarse at scale 10.
  const dtmfAt = new Map<string, number>();
  const keysSeen = new Map<string, number>();
  const latencies: [number[], number[]] = [[], []];
  sim.asterisk.hub.tap = (_app, e) => {
    if (e.type === 'ChannelDtmfReceived') {
      const id = (e.channel as { id: string }).id;
      dtmfAt.set(id, performance.now());
      keysSeen.set(id, (keysSeen.get(id) ?? 0) + 1);
    }
    else if (e.type === 'PlaybackStarted') {
      const target = String((e.playback as { target_uri: string }).target_uri);
      if (!target.startsWith('channel:')) return;
      const id = target.slice('channel:'.length);
      const t = dtmfAt.get(id);
      if (t !== undefined) {
        latencies[keysSeen.get(id) === 1 ? 0 : 1].push(performance.now() - t);
        dtmfAt.delete(id);
      }
    }
  };
  const calledBy = new Map<string, number>();
  const liveBy = new Map<string, number>();
  const prompts: Record<string, number> = {};
  let outbound = 0;
  let overlapping = 0;
  let lifeMs = 0;
  sim.asterisk.on('callStarted', (r) => {
    if (r.direction !== 'outbound') return;
    outbound++;
    calledBy.set(r.phone, (calledBy.get(r.phone) ?? 0) + 1);
    const live = (liveBy.get(r.phone) ?? 0) + 1;
    liveBy.set(r.phone, live);
    if (live > 1) overlapping++;
  });
  sim.asterisk.on('callEnded', (r) => {
    if (r.direction !== 'outbound') return;
    liveBy.set(r.phone, (liveBy.get(r.phone) ?? 1) - 1);
    dtmfAt.delete(r.channelId);
    keysSeen.delete(r.channelId);
    const heard = String(r.heard.filter((h) => h.end !== 'failed').length);
    prompts[heard] = (prompts[heard] ?? 0) + 1;
    lifeMs += Date.parse(r.endedAt ?? r.startedAt) - Date.parse(r.startedAt);
  });
  process.on('message', (m: { type: string }) => {
    if (m.type !== 'report') return;
    const ended = Object.values(prompts).reduce((a, b) => a + b, 0);
    process.send?.({
      type: 'report',
      rssMb: peak / 2 ** 20,
      latencies,
      outboundCalls: outbound,
      numbersCalledTwice: [...calledBy.values()].filter((n) => n > 1).length,
      overlapping,
      promptsHeard: prompts,
      meanCallMs: ended ? lifeMs / ended : NaN,
      cpuMs: cpuMs(process.cpuUsage()),
    } satisfies FromChild);
  });
  const quit = () => {
    clearInterval(sample);
    void sim.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', quit);
  process.once('disconnect', quit);
  process.send?.({ type: 'ready', url: sim.url, user: sim.user, password: sim.password } satisfies FromChild);
}

// ---- shared by both runs -----------------------------------------------------------------

function cpuMs(u: NodeJS.CpuUsage): number {
  return (u.user + u.system) / 1000;
}

/** CPU of this process's finished children (espeak-ng, sox), ms: /proc/self/stat cutime + cstime, in 1/100 s. */
function childrenCpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

function pct(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
}

function nextMessage(child: ChildProcess): Promise<FromChild> {
  return new Promise((r) => child.once('message', (m: FromChild) => r(m)));
}

async function forkSim(): Promise<{ child: ChildProcess; ready: Extract<FromChild, { type: 'ready' }> }> {
  const args = ['--sim-child', '--scale', String(SCALE), ...(CEILING ? ['--ceiling'] : [])];
  const child = fork(fileURLToPath(import.meta.url), args, { execArgv: ['--import', 'tsx'] });
  const ready = await nextMessage(child);
  if (ready.type !== 'ready') throw new Error('simulator did not start');
  return { child, ready };
}

async function simReport(child: ChildProcess): Promise<SimReport> {
  child.send({ type: 'report' });
  const m = await nextMessage(child);
  if (m.type !== 'report') throw new Error('simulator did not report');
  return m;
}

/** A started agentless campaign of n contacts, imported from a CSV as an operator would. */
async function seedCampaign(db: Db, clock: ScaledClock, log: Logger, dir: string, n: number, settings: Partial<CampaignSettings>) {
  const { CampaignService } = await import('../src/campaigns/service.ts');
  const { ImportService } = await import('../src/campaigns/import/service.ts');
  const campaigns = new CampaignService({ store: createSqliteStore(db), clock, log });
  const imports = new ImportService({ store: createSqliteStore(db), clock, log, campaigns });
  const c = campaigns.create({ name: `bench ${n}`, mode: 'agentless', callerId: '+31201234567', settings });
  const csv = join(dir, 'campaign.csv');
  let text = 'debiteurnummer;naam;telefoon;bedrag;factuurnummer;vervaldatum;opdrachtgever;betaallink\r\n';
  for (let i = 0; i < n; i++) text += `D${i};Debiteur ${i};06${String(10_000_000 + i)};123,45;F-${i};01-11-2026;Energie Noord BV;https://pay.example.nl/F-${i}\r\n`;
  writeFileSync(csv, text);
  const imported = await imports.importFile({ campaignId: c.id, path: csv, fileName: 'campaign.csv' });
  if (imported.rowsImported !== n) throw new Error(`import: ${imported.status}, ${imported.rowsImported} of ${n} rows`);
  campaigns.transition(c.id, 'start');
  return { campaigns, campaignId: c.id };
}

function rssSampler(): { stop(): number } {
  let peak = 0;
  const t = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 200);
  return {
    stop() {
      clearInterval(t);
      return Math.max(peak, process.memoryUsage().rss);
    },
  };
}

/** Load average sampled during a run (the machine is shared). */
function loadSampler(): { stop(): string } {
  const seen: number[] = [];
  const t = setInterval(() => seen.push(loadavg()[0]!), 5000);
  return {
    stop() {
      clearInterval(t);
      seen.push(loadavg()[0]!);
      return `${Math.min(...seen).toFixed(1)}–${Math.max(...seen).toFixed(1)}`;
    },
  };
}

// Monday 23 November 2026, 10:00 in Amsterdam: inside the calling window for the whole run.
const ORIGIN = Date.parse('2026-11-23T09:00:00Z');

interface Rig {
  dir: string;
  child: ChildProcess;
  ready: Extract<FromChild, { type: 'ready' }>;
  clock: ScaledClock;
  log: Logger;
  db: Db;
}

/** One run's simulator process, clock and database, removed afterwards. */
async function withRig(run: (rig: Rig) => Promise<void>): Promise<void> {
  const { openDb } = await import('../src/store/db.ts');
  const dir = mkdtempSync(join(tmpdir(), 'bereik-bench-outbound-'));
  const { child, ready } = await forkSim();
  const clock = new ScaledClock(SCALE, ORIGIN);
  // BENCH_LOG=warn shows what went wrong in a run that does not finish.
  const log = process.env.BENCH_LOG ? createLogger({ level: process.env.BENCH_LOG }) : silentLogger();
  const db = openDb(join(dir, 'bench.sqlite'));
  try {
    await run({ dir, child, ready, clock, log, db });
  } finally {
    child.kill('SIGTERM');
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- the standard run: the engine with the real IVR --------------------------------------

async function standardRun(n: number, channels: number, cps: number): Promise<void> {
  const { loadConfig } = await import('../src/config/load.ts');
  const { createEngine } = await import('../src/engine.ts');
  const { DialerStore } = await import('../src/store/dialer.ts');
  const { campaignStats } = await import('../src/dialer/runtime/stats.ts');
  const { AriRest } = await import('../src/telephony/ari-rest.ts');
  await withRig(async ({ dir, child, ready, clock, log, db }) => {
    if (values.tts !== 'silent' && values.tts !== 'espeak') throw new Error(`--tts silent|espeak, not ${values.tts}`);
    const config = loadConfig({}, { tts: { engine: values.tts, cacheDir: join(dir, 'tts') }, dialer: { trunkCps: cps } });
    const { campaignId } = await seedCampaign(db, clock, log, dir, n, { amd: values.amd, maxConcurrentChannels: channels, maxCallsPerSecond: cps });
    // The simulator runs in the child: the engine only needs where it listens.
    const sim = { url: ready.url, user: ready.user, password: ready.password, app: 'bereik', asterisk: undefined as never, sessions: { open: 0, peak: 0, accepted: 0, refused: 0 }, close: async () => {} };
    const engine = await createEngine({ config, store: createSqliteStore(db), clock, log, sim });
    const store = new DialerStore(db);
    const ariRequests = countAriRequests(AriRest);
    const ticks: number[] = [];
    const tick = engine.dialer.tick.bind(engine.dialer);
    engine.dialer.tick = async () => {
      const r = await tick();
      ticks.push(r.durationMs);
      return r;
    };
    const rss = rssSampler();
    const load = loadSampler();
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    const simCpu0 = (await simReport(child)).cpuMs;
    const cpu0 = process.cpuUsage();
    const kids0 = childrenCpuMs();
    const t0 = performance.now();
    const c0 = clock.now();
    await engine.start();
    // Completed = calls with a recorded outcome; sampled once a real second.
    const timeline: { t: number; c: number; done: number }[] = [];
    let last = -1;
    let stalledFor = 0;
    for (;;) {
      await new Promise((r) => setTimeout(r, 1000));
      const s = campaignStats(store, campaignId)!;
      const done = s.calls.total - s.calls.live;
      timeline.push({ t: performance.now(), c: clock.now(), done });
      if (s.state === 'finished') break;
      // Every contact had its first attempt and nothing is live: what is left waits for a
      // retry hours away (a phone that hung up waits 4 h), which the benchmark does not sit out.
      if (s.calls.total >= n && s.calls.live === 0 && s.contacts.in_progress === 0) break;
      stalledFor = done === last ? stalledFor + 1 : 0;
      // Calls last ~50 s of clock: flat for 5 min of clock means stuck.
      if (stalledFor === Math.ceil(300 / SCALE)) console.error(`  at ${done} of ${n}: ${JSON.stringify(s.contacts)} ${JSON.stringify(s.results)} ${JSON.stringify(s.calls)}`);
      last = done;
    }
    const t1 = performance.now();
    const c1 = clock.now();
    const bereikCpuMs = cpuMs(process.cpuUsage(cpu0));
    const kidsCpuMs = childrenCpuMs() - kids0;
    const bereikRss = rss.stop();
    loop.disable();
    const loads = load.stop();
    await engine.stop();
    const sim2 = await simReport(child);
    const s = campaignStats(store, campaignId)!;
    const completed = s.calls.total - s.calls.live;
    // Double dials, from the store: contacts with more than one call, and two calls of one contact alive at once.
    const twice = (db.prepare(`SELECT COUNT(*) AS n FROM (SELECT contact_id FROM calls WHERE campaign_id = ? GROUP BY contact_id HAVING COUNT(*) > 1)`).get(campaignId) as { n: number }).n;
    const overlap = (
      db
        .prepare(
          `SELECT COUNT(DISTINCT a.contact_id) AS n FROM calls a JOIN calls b ON a.contact_id = b.contact_id AND a.id < b.id
           WHERE a.campaign_id = ? AND a.created_at < COALESCE(b.ended_at, '9999') AND b.created_at < COALESCE(a.ended_at, '9999')`,
        )
        .get(campaignId) as { n: number }
    ).n;
    // Steady state: between 10 % and 90 % of the calls completed (ramp-up and tail left out).
    const at = (share: number) => timeline.find((p) => p.done >= share * n) ?? timeline.at(-1)!;
    const lo = at(0.1);
    const hi = at(0.9);
    const perMin = (calls: number, ms: number) => (ms > 0 ? ((calls / ms) * 60_000).toFixed(0) : '–');
    const sortNum = (xs: number[]) => [...xs].sort((a, b) => a - b);
    const lat = sortNum(sim2.latencies.flat());
    const [latId, latMenu] = sim2.latencies.map(sortNum) as [number[], number[]];
    const tk = [...ticks].sort((a, b) => a - b);
    const realS = (t1 - t0) / 1000;
    console.log(`\n${n.toLocaleString('en')} contacts: campaign ${s.state} in ${realS.toFixed(1)} s real, ${((c1 - c0) / 60_000).toFixed(1)} min clock; ${completed} calls, results ${JSON.stringify(s.results)}`);
    console.log(`  calls completed/min:    real ${perMin(completed, t1 - t0)} overall, ${perMin(hi.done - lo.done, hi.t - lo.t)} steady (10–90 %); clock ${perMin(completed, c1 - c0)} overall, ${perMin(hi.done - lo.done, hi.c - lo.c)} steady`);
    console.log(`  call length (clock):    mean ${(sim2.meanCallMs / 1000).toFixed(1)} s channel life; prompts heard per call ${JSON.stringify(sim2.promptsHeard)}`);
    console.log(`  DTMF → next prompt:     p50 ${pct(lat, 50).toFixed(1)} ms, p99 ${pct(lat, 99).toFixed(1)} ms, max ${lat.at(-1)?.toFixed(1)} ms real over ${lat.length} keys (identity → message p50 ${pct(latId, 50).toFixed(1)} / p99 ${pct(latId, 99).toFixed(1)} ms; menu → pay link p50 ${pct(latMenu, 50).toFixed(1)} / p99 ${pct(latMenu, 99).toFixed(1)} ms)`);
    console.log(`  Bereik event loop:      delay p50 ${(loop.percentile(50) / 1e6).toFixed(1)} ms, p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms, max ${(loop.max / 1e6).toFixed(0)} ms`);
    console.log(`  dialer tick:            p50 ${pct(tk, 50).toFixed(1)} ms, p99 ${pct(tk, 99).toFixed(1)} ms over ${ticks.length} ticks`);
    const simCpuMs = sim2.cpuMs - simCpu0;
    console.log(`  CPU:                    Bereik ${(bereikCpuMs / 1000).toFixed(1)} s (${(bereikCpuMs / completed).toFixed(1)} CPU-s per 1,000 calls) + its TTS subprocesses ${(kidsCpuMs / 1000).toFixed(1)} s, simulator ${(simCpuMs / 1000).toFixed(1)} s; Bereik ${(bereikCpuMs / 1000 / realS * 100).toFixed(0)} % of a core`);
    console.log(`  ARI requests per call:  ${(ariRequests.total / completed).toFixed(2)} (${ariRequests.summary(completed)})`);
    console.log(`  peak RSS:               Bereik ${(bereikRss / 2 ** 20).toFixed(0)} MB, simulator ${sim2.rssMb.toFixed(0)} MB`);
    console.log(`  dialled twice:          ${twice} contacts with > 1 call, ${overlap} with overlapping calls (store); ${sim2.numbersCalledTwice} numbers called > 1 time, ${sim2.overlapping} overlapping (simulator, ${sim2.outboundCalls} calls)`);
    console.log(`  contacts:               ${JSON.stringify(Object.fromEntries(Object.entries(s.contacts).filter(([, v]) => v > 0)))}`);
    console.log(`  load average (1 min):   ${loads} during the run (2 cores, shared)`);
    if (s.calls.total < n) process.exitCode = 1;
    if (twice + overlap + sim2.numbersCalledTwice + sim2.overlapping > 0) process.exitCode = 1;
  });
}

/** Counts Bereik's ARI REST requests by method and path shape (ids left out), from now on. */
function countAriRequests(rest: typeof import('../src/telephony/ari-rest.ts').AriRest): { total: number; summary(calls: number): string } {
  const byKind = new Map<string, number>();
  let total = 0;
  const request = rest.prototype.request;
  rest.prototype.request = function (this: InstanceType<typeof rest>, method, path, query, body) {
    const kind = `${method} ${path.replace(/^(\/[a-z]+)\/[^/?]+/, '$1/{id}')}`;
    byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
    total++;
    return request.call(this, method, path, query, body);
  } as typeof request;
  return {
    get total() {
      return total;
    },
    summary: (calls) => [...byKind].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${(v / calls).toFixed(2)}`).join(', '),
  };
}

// ---- the ceiling run: stand-in flow, budgets lifted ----------------------------------------

async function ceilingRun(n: number, channels: number): Promise<void> {
  const { DialerStore } = await import('../src/store/dialer.ts');
  const { AriTelephony } = await import('../src/telephony/index.ts');
  const { Dialer } = await import('../src/dialer/dialer.ts');
  const { campaignStats } = await import('../src/dialer/runtime/stats.ts');
  await withRig(async ({ dir, child, ready, clock, log, db }) => {
    const { campaigns, campaignId } = await seedCampaign(db, clock, log, dir, n, { amd: false, maxConcurrentChannels: channels, maxCallsPerSecond: 500, maxAttemptsPerDay: 2 });
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
    const rss = rssSampler();
    const changes = () => (db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
    await tel.start();
    const writes0 = changes();
    const t0 = performance.now();
    await dialer.start();
    // A stalled run says where it stands instead of hanging.
    let seen = -1;
    const watch = setInterval(() => {
      if (recorded === seen) console.error(`  stalled at ${recorded} of ${n}: ${JSON.stringify(campaignStats(new DialerStore(db), campaignId))}`);
      seen = recorded;
    }, 30_000);
    await allDone;
    clearInterval(watch);
    // The dialer closes the campaign on its next tick.
    for (let i = 0; i < 100 && campaigns.get(campaignId).state !== 'finished'; i++) await new Promise((r) => setTimeout(r, 20));
    const t1 = performance.now();
    const writes = changes() - writes0;
    const rssPeak = rss.stop();
    await dialer.stop();
    await tel.stop();
    const simRss = await simReport(child);
    const stats = campaignStats(new DialerStore(db), campaignId)!;
    const span = (originated.at(-1)! - originated[0]!) / 1000;
    const sorted = [...ticks].sort((a, b) => a - b);
    const sel = [...selects].sort((a, b) => a - b);
    console.log(`\n${n.toLocaleString('en')} contacts: ${stats.contacts.done} done, ${stats.calls.total} calls, campaign ${stats.state}`);
    console.log(`  originates/s sustained: ${(originated.length / span).toFixed(0)} (${originated.length} in ${span.toFixed(1)} s)`);
    console.log(`  end-to-end calls/s:     ${(recorded / ((lastRecorded - t0) / 1000)).toFixed(0)} (${recorded} recorded in ${((t1 - t0) / 1000).toFixed(1)} s)`);
    console.log(`  dialer tick:            p50 ${pct(sorted, 50).toFixed(1)} ms, p99 ${pct(sorted, 99).toFixed(1)} ms, max ${sorted.at(-1)!.toFixed(1)} ms over ${ticks.length} ticks (choosing + claiming: p50 ${pct(sel, 50).toFixed(1)} ms, p99 ${pct(sel, 99).toFixed(1)} ms; the rest is waiting for originates)`);
    console.log(`  database row writes/s:  ${(writes / ((t1 - t0) / 1000)).toFixed(0)} (${writes.toLocaleString('en')} rows)`);
    console.log(`  peak RSS:               Bereik ${(rssPeak / 2 ** 20).toFixed(0)} MB, simulator ${simRss.rssMb.toFixed(0)} MB`);
  });
}

// ---- entry ----------------------------------------------------------------------------------

if (values['sim-child']) {
  await simChild();
} else {
  const sizes = (values.contacts ?? (CEILING ? '1000,10000' : '10000')).split(',').map(Number);
  const channels = Number(values.channels);
  const cps = Number(values.cps);
  if (CEILING) {
    console.log(`outbound ceiling: clock ×${SCALE} (ring 0.3 s, message 1.4 s of clock time), max ${channels} channels, budgets lifted, simulator in a child process`);
    for (const n of sizes) await ceilingRun(n, channels);
  } else {
    console.log(`outbound benchmark: engine with the real IVR (${values.tts} TTS), agentless, AMD ${values.amd ? 'on' : 'off'}, ${channels} channels, ${cps} calls/s; clock ×${SCALE}, simulator in a child process`);
    for (const n of sizes) await standardRun(n, channels, cps);
  }
}
