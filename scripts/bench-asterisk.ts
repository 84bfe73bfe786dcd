/**
 * Load benchmark on the real engine: Bereik's engine in this process (dialer, ARI client,
 * the real IVR with the silent TTS, so Asterisk plays real WAV files) against the real
 * Asterisk 22 of ../shared/asterisk, dialling an agentless campaign of N debtors (AMD off)
 * through `PJSIP/<number>@trunk` to one SIPp phone on the trunk port that answers every
 * call after 0.5 s, listens, presses 1 (identity) and 1 again (pay link), and waits for
 * the hang-up. Prints concurrent calls held, calls/min completed, DTMF → next prompt
 * (from the key's event reaching Bereik to its next play request) p50/p99, Bereik's
 * event-loop delay p99, and CPU seconds (from /proc/<pid>/stat) and peak RSS of Bereik
 * and Asterisk, with CPU seconds per 1,000 calls for both.
 *
 * Asterisk must be installed (shared/asterisk/install.sh); if none is running, the script
 * starts one with the dialplan of dialplans/ and stops it at the end.
 *   node --import tsx scripts/bench-asterisk.ts [--calls 300] [--channels 60] [--cps 10] [--amd] [--pin 0:1]
 * Keep channels × 2 RTP ports within rtp.conf's 10000–10999 (about 450 calls at once).
 *
 * --pin A:B pins Asterisk (every thread) to CPU list A and Bereik (this process, its
 * thread pool included) and the SIPp phone to CPU list B, with taskset: on a 2-core
 * machine `--pin 0:1` gives Asterisk a core of its own, so its saturation shows as ~100 %
 * of one core instead of being blurred across both. Other processes on the machine are
 * not pinned and may run on either core. With it the script prints, over the steady part
 * of the run (10–90 % of the calls completed), Asterisk's CPU per second and Bereik's
 * event-loop delay, and SIPp's CPU, so whoever is the bottleneck shows.
 *
 * --nice=N (with --pin; the = is needed for a negative N) runs Asterisk, Bereik and SIPp at that nice value (every thread;
 * negative = ahead of other work): on a machine shared with other work, so the pinned
 * cores measure the two programs and not the neighbours' load.
 *
 * --rtp-end N widens Asterisk's RTP ports to 10000–N (rtp.conf; each call holds two) for
 * more than ~450 calls at once; only when the script starts Asterisk itself, and the
 * installed rtp.conf is put back when it stops. Keep N below 20000 (the SIPp phones'
 * media ports).
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ScaledClock } from '../src/lib/clock.ts';
import { createLogger, silentLogger } from '../src/lib/log.ts';
import { AriEventSocket } from '../src/telephony/ari-socket.ts';
import { answeringPhone, PORTS, startPhone } from '../test/asterisk/phones.ts';

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '300' },
    channels: { type: 'string', default: '60' },
    cps: { type: 'string', default: '10' },
    amd: { type: 'boolean', default: false },
    pin: { type: 'string' },
    'rtp-end': { type: 'string' },
    nice: { type: 'string' },
  },
});
const PIN = parsePin(values.pin);
const NICE = values.nice === undefined ? undefined : Number(values.nice);
if (NICE !== undefined && !(Number.isInteger(NICE) && NICE >= -20 && NICE <= 19)) throw new Error(`--nice: an integer from -20 to 19, got ${values.nice}`);
const RTP_END = values['rtp-end'] === undefined ? undefined : Number(values['rtp-end']);
if (RTP_END !== undefined && !(Number.isInteger(RTP_END) && RTP_END > 10_000 && RTP_END < 20_000)) {
  throw new Error(`--rtp-end: a port between 10001 and 19999 (the SIPp phones' media ports start at 20000), got ${values['rtp-end']}`);
}
const N = Number(values.calls);
const CHANNELS = Number(values.channels);
const CPS = Number(values.cps);
// --amd: calls go through the AMD dialplan as in production. The SIPp phone sends no audio,
// so app_amd listens its full 5 s and says NOTSURE (a person); the keys come after that.
const AMD = values.amd === true;
const KEY_DELAY_MS = AMD ? 5500 : 0;
const AST = '/opt/asterisk/sbin/asterisk';
const ARI = { url: 'http://127.0.0.1:8088', user: 'bereik', password: 'bereik-secret' };
// Monday 23 November 2026, 10:00 in Amsterdam, running on at real speed: inside the calling window.
const ORIGIN = Date.parse('2026-11-23T09:00:00Z');
const TICK_S = 100; // USER_HZ

/** --pin A:B → CPU lists for Asterisk and for Bereik + SIPp (taskset -c syntax: 0, 1, 0-1, 0,2). */
function parsePin(raw: string | undefined): { asterisk: string; bereik: string } | undefined {
  if (raw === undefined) return undefined;
  const m = /^([0-9,-]+):([0-9,-]+)$/.exec(raw);
  if (!m) throw new Error(`--pin: expected ASTERISK_CPUS:BEREIK_CPUS such as 0:1, got ${JSON.stringify(raw)}`);
  return { asterisk: m[1]!, bereik: m[2]! };
}

/** Pins every thread of a process to a CPU list (taskset -a: threads started later inherit it). */
function pin(pid: number, cpus: string): void {
  execFileSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { stdio: 'ignore' });
  if (NICE === undefined) return;
  // Linux keeps a nice value per thread; threads started later inherit their creator's.
  const tids = readdirSync(`/proc/${pid}/task`);
  execFileSync('renice', ['-n', String(NICE), '-p', ...tids], { stdio: 'ignore' });
}

function cpuSeconds(pid: number): number {
  // Fields after the command name: utime and stime are the 12th and 13th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / TICK_S;
}
function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}
function asteriskPid(): number | undefined {
  try {
    return Number(execFileSync('pgrep', ['-x', 'asterisk'], { encoding: 'utf8' }).trim().split('\n')[0]);
  } catch {
    return undefined;
  }
}
function cpuMsNow(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
const pct = (xs: number[], p: number) => (xs.length ? xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]! : NaN);

async function ensureAsterisk(): Promise<() => void> {
  if (asteriskPid()) {
    if (RTP_END !== undefined) throw new Error('--rtp-end needs an Asterisk this script starts: stop the running one first');
    return () => {};
  }
  const rtpConf = '/opt/asterisk/etc/asterisk/rtp.conf';
  const installedRtp = readFileSync(rtpConf, 'utf8');
  if (RTP_END !== undefined) writeFileSync(rtpConf, `[general]\nrtpstart=10000\nrtpend=${RTP_END}\n`);
  cpSync(join(import.meta.dirname, '..', 'dialplans', 'extensions.conf'), '/opt/asterisk/etc/asterisk/bereik-extensions.conf');
  writeFileSync('/opt/asterisk/etc/asterisk/extensions.conf', '[general]\nstatic=yes\nwriteprotect=yes\n#include "bereik-extensions.conf"\n');
  const child = spawn(AST, ['-f', '-n'], { stdio: 'ignore' });
  for (let i = 0; i < 60; i++) {
    await new Promise((r) => setTimeout(r, 500));
    const ok = await fetch(`${ARI.url}/ari/asterisk/info`, { headers: { authorization: 'Basic ' + btoa(`${ARI.user}:${ARI.password}`) } }).then((r) => r.ok, () => false);
    if (ok) break;
  }
  return () => {
    try {
      execFileSync(AST, ['-rx', 'core stop now']);
    } catch {}
    child.kill('SIGKILL');
    writeFileSync(rtpConf, installedRtp);
  };
}

async function main(): Promise<void> {
  const stopAsterisk = await ensureAsterisk();
  const astPid = asteriskPid();
  if (!astPid) throw new Error('Asterisk is not running and could not be started (install it: shared/asterisk/install.sh)');
  const phone = startPhone(answeringPhone(PORTS.trunk, 500, [{ atMs: 2500 + KEY_DELAY_MS, digit: '1' }, { atMs: 7000 + KEY_DELAY_MS, digit: '1' }]));
  if (PIN) {
    pin(astPid, PIN.asterisk);
    pin(process.pid, PIN.bereik);
    pin(phone.pid, PIN.bereik);
  }
  const dir = mkdtempSync(join(tmpdir(), 'bereik-bench-asterisk-'));
  const { openDb } = await import('../src/store/db.ts');
  const { loadConfig } = await import('../src/config/load.ts');
  const { createEngine } = await import('../src/engine.ts');
  const { CampaignService } = await import('../src/campaigns/service.ts');
  const { ImportService } = await import('../src/campaigns/import/service.ts');
  const { DialerStore } = await import('../src/store/dialer.ts');
  const { campaignStats } = await import('../src/dialer/runtime/stats.ts');
  const clock = new ScaledClock(1, ORIGIN);
  const log = process.env.BENCH_LOG ? createLogger({ level: process.env.BENCH_LOG }) : silentLogger();
  const db = openDb(join(dir, 'bench.sqlite'));
  const { createSqliteStore } = await import('../src/store/sqlite.ts');
  const repos = createSqliteStore(db);

  // DTMF → next prompt: when each key's event reached Bereik, and Bereik's next play request on that channel.
  const keyAt = new Map<string, number>();
  const latencies: number[] = [];
  const emit = AriEventSocket.prototype.emit;
  AriEventSocket.prototype.emit = function (this: AriEventSocket, ev: string, ...a: unknown[]) {
    const e = a[0] as { type?: string; channel?: { id: string } } | undefined;
    if (ev === 'event' && e?.type === 'ChannelDtmfReceived' && e.channel) keyAt.set(e.channel.id, performance.now());
    return (emit as (...x: unknown[]) => boolean).call(this, ev, ...a);
  } as typeof emit;
  // Every events frame Asterisk sends, by type (repeats included: see repeat-filter.ts).
  const frames = new Map<string, number>();
  const { RepeatFilter } = await import('../src/telephony/repeat-filter.ts');
  const admit = RepeatFilter.prototype.admit;
  RepeatFilter.prototype.admit = function (this: InstanceType<typeof RepeatFilter>, frame: string) {
    const type = /"type":\s*"([A-Za-z]+)"/.exec(frame)?.[1] ?? '?';
    frames.set(type, (frames.get(type) ?? 0) + 1);
    return admit.call(this, frame);
  };
  // Bereik's ARI requests go through AriRest.request (a pooled node:http client, not fetch).
  const { AriRest } = await import('../src/telephony/ari-rest.ts');
  const request = AriRest.prototype.request;
  AriRest.prototype.request = function (this: InstanceType<typeof AriRest>, method, path, query, body) {
    const m = /^\/channels\/([^/?]+)\/play/.exec(path);
    const at = m ? keyAt.get(decodeURIComponent(m[1]!)) : undefined;
    if (m && at !== undefined) {
      latencies.push(performance.now() - at);
      keyAt.delete(decodeURIComponent(m[1]!));
    }
    return request.call(this, method, path, query, body);
  } as typeof request;

  try {
    const campaigns = new CampaignService({ store: repos, clock, log });
    const imports = new ImportService({ store: repos, clock, log, campaigns });
    const c = campaigns.create({ name: `bench asterisk ${N}`, mode: 'agentless', callerId: '+31201234567', settings: { amd: AMD, maxConcurrentChannels: CHANNELS, maxCallsPerSecond: CPS } });
    const csv = join(dir, 'campaign.csv');
    let text = 'debiteurnummer;naam;telefoon;bedrag;factuurnummer;vervaldatum;opdrachtgever;betaallink\r\n';
    for (let i = 0; i < N; i++) text += `D${i};Debiteur ${i};06${String(10_000_000 + i)};123,45;F-${i};01-11-2026;Energie Noord BV;https://pay.example.nl/F-${i}\r\n`;
    writeFileSync(csv, text);
    const imported = await imports.importFile({ campaignId: c.id, path: csv, fileName: 'campaign.csv' });
    if (imported.rowsImported !== N) throw new Error(`import: ${imported.rowsImported} of ${N} rows`);
    campaigns.transition(c.id, 'start');
    const config = loadConfig({}, {
      ari: { url: ARI.url, user: ARI.user, password: ARI.password },
      tts: { engine: 'silent', cacheDir: join(dir, 'tts') },
      dialer: { trunkCps: CPS },
    });
    const engine = await createEngine({ config, store: repos, clock, log });
    const store = new DialerStore(db);
    const loop = monitorEventLoopDelay({ resolution: 5 });
    // The same delay over the steady part only (10–90 % of the calls completed).
    const steadyLoop = monitorEventLoopDelay({ resolution: 5 });
    let steady: 'before' | 'in' | 'after' = 'before';
    const perSecond: { ast: number; bereik: number; sipp: number }[] = [];
    const cpu0 = { bereik: process.cpuUsage(), ast: cpuSeconds(astPid), sipp: cpuSeconds(phone.pid) };
    let prev = { ast: cpu0.ast, bereik: cpuMsNow() / 1000, sipp: cpu0.sipp, t: performance.now() };
    let peakLive = 0;
    let peakRss = 0;
    let peakAstRss = 0;
    loop.enable();
    const t0 = performance.now();
    await engine.start();
    const timeline: { t: number; done: number }[] = [];
    for (let stalled = 0; ; ) {
      await new Promise((r) => setTimeout(r, 1000));
      const s = campaignStats(store, c.id)!;
      const done = s.calls.total - s.calls.live;
      peakLive = Math.max(peakLive, s.calls.live);
      peakRss = Math.max(peakRss, process.memoryUsage().rss / 2 ** 20);
      peakAstRss = Math.max(peakAstRss, rssMb(astPid));
      stalled = done === timeline.at(-1)?.done ? stalled + 1 : 0;
      timeline.push({ t: performance.now(), done });
      const now = { ast: cpuSeconds(astPid), bereik: cpuMsNow() / 1000, sipp: cpuSeconds(phone.pid), t: performance.now() };
      const dt = (now.t - prev.t) / 1000;
      if (steady === 'in') perSecond.push({ ast: (now.ast - prev.ast) / dt, bereik: (now.bereik - prev.bereik) / dt, sipp: (now.sipp - prev.sipp) / dt });
      prev = now;
      if (steady === 'before' && done >= 0.1 * N) {
        steady = 'in';
        steadyLoop.enable();
      } else if (steady === 'in' && done >= 0.9 * N) {
        steady = 'after';
        steadyLoop.disable();
      }
      if (s.state === 'finished' || (s.calls.total >= N && s.calls.live === 0)) break;
      if (stalled >= 120) {
        console.error(`stalled at ${done} of ${N}: ${JSON.stringify(s.calls)} ${JSON.stringify(s.results)}`);
        process.exitCode = 1;
        break;
      }
    }
    const t1 = performance.now();
    loop.disable();
    if (steady === 'in') steadyLoop.disable();
    const sippCpu = cpuSeconds(phone.pid) - cpu0.sipp;
    const used = process.cpuUsage(cpu0.bereik);
    const bereikCpu = (used.user + used.system) / 1e6;
    const astCpu = cpuSeconds(astPid) - cpu0.ast;
    await engine.stop();
    const s = campaignStats(store, c.id)!;
    const completed = s.calls.total - s.calls.live;
    const at = (share: number) => timeline.find((p) => p.done >= share * N) ?? timeline.at(-1)!;
    const lo = at(0.1);
    const hi = at(0.9);
    const lat = [...latencies].sort((a, b) => a - b);
    const per1000 = (x: number) => ((x / Math.max(1, completed)) * 1000).toFixed(1);
    const pinned = PIN ? `; pinned: Asterisk on CPU ${PIN.asterisk}, Bereik and SIPp on CPU ${PIN.bereik}${NICE === undefined ? '' : `, nice ${NICE}`}` : '';
    console.log(`\n${N} calls on the real Asterisk (${CHANNELS} channels, ${CPS} calls/s, AMD ${AMD ? "on" : "off"}${pinned}): ${completed} completed in ${((t1 - t0) / 1000).toFixed(1)} s; results ${JSON.stringify(s.results)}`);
    console.log(`  concurrent calls held:  peak ${peakLive}`);
    console.log(`  calls completed/min:    ${((completed / (t1 - t0)) * 60_000).toFixed(0)} overall, ${(((hi.done - lo.done) / Math.max(1, hi.t - lo.t)) * 60_000).toFixed(0)} steady (10–90 %)`);
    console.log(`  DTMF → next prompt:     p50 ${pct(lat, 50).toFixed(1)} ms, p99 ${pct(lat, 99).toFixed(1)} ms over ${lat.length} keys`);
    console.log(`  Bereik event loop:      delay p50 ${(loop.percentile(50) / 1e6).toFixed(1)} ms, p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms, max ${(loop.max / 1e6).toFixed(0)} ms`);
    console.log(`  CPU seconds:            Bereik ${bereikCpu.toFixed(1)} s, Asterisk ${astCpu.toFixed(1)} s (${(bereikCpu / ((t1 - t0) / 1000) * 100).toFixed(0)} % / ${(astCpu / ((t1 - t0) / 1000) * 100).toFixed(0)} % of one core)`);
    console.log(`  CPU s per 1,000 calls:  Bereik ${per1000(bereikCpu)}, Asterisk ${per1000(astCpu)} (Bereik/Asterisk ${(bereikCpu / Math.max(0.001, astCpu)).toFixed(2)})`);
    console.log(`  peak RSS:               Bereik ${peakRss.toFixed(0)} MB, Asterisk ${peakAstRss.toFixed(0)} MB`);
    const totalFrames = [...frames.values()].reduce((a, b) => a + b, 0);
    console.log(`  events frames per call: ${(totalFrames / Math.max(1, completed)).toFixed(1)} (${[...frames].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${(v / Math.max(1, completed)).toFixed(1)}`).join(', ')})`);
    console.log(`  SIPp CPU:               ${sippCpu.toFixed(1)} s (${((sippCpu / ((t1 - t0) / 1000)) * 100).toFixed(0)} % of one core)`);
    if (perSecond.length > 0) {
      const share = (k: 'ast' | 'bereik' | 'sipp') => [...perSecond.map((p) => p[k] * 100)].sort((a, b) => a - b);
      const [ast, ber, sip] = [share('ast'), share('bereik'), share('sipp')];
      const busy = ast.filter((x) => x >= 95).length;
      console.log(`  steady part (10–90 %):  ${perSecond.length} s; CPU per second, % of one core p50 / p90 / max: Asterisk ${pct(ast, 50).toFixed(0)} / ${pct(ast, 90).toFixed(0)} / ${ast.at(-1)!.toFixed(0)} (${busy} s at ≥ 95 %), Bereik ${pct(ber, 50).toFixed(0)} / ${pct(ber, 90).toFixed(0)} / ${ber.at(-1)!.toFixed(0)}, SIPp ${pct(sip, 50).toFixed(0)} / ${pct(sip, 90).toFixed(0)} / ${sip.at(-1)!.toFixed(0)}`);
      console.log(`  steady event loop:      delay p50 ${(steadyLoop.percentile(50) / 1e6).toFixed(1)} ms, p99 ${(steadyLoop.percentile(99) / 1e6).toFixed(1)} ms, max ${(steadyLoop.max / 1e6).toFixed(0)} ms`);
    }
    console.log(`  load average:           ${loadavg().map((x) => x.toFixed(2)).join(', ')} at the end (2 cores, shared)`);
    if (completed < N) process.exitCode = 1;
  } finally {
    AriRest.prototype.request = request;
    RepeatFilter.prototype.admit = admit;
    AriEventSocket.prototype.emit = emit;
    await phone.stop();
    db.close();
    rmSync(dir, { recursive: true, force: true });
    stopAsterisk();
  }
}

await main();
