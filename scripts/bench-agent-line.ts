/**
 * Debtor answered → debtor bridged to the agent, with an open line vs ringing the agent
 * (issue 16 benchmark; goal: p99 < 300 ms with open lines), on the real Asterisk 22.
 *
 * Bereik's engine runs in this process against the installed Asterisk (started with the
 * dialplan and sorcery.conf if none runs, stopped afterwards; run it under the lock:
 *   flock /tmp/bereik-asterisk.lock node --import tsx scripts/bench-agent-line.ts [--calls 40] [--ring-ms 1000] [--modes line-after,ring-after,line-before,ring-before,line-tone]
 * Per call: Bereik originates the debtor (`PJSIP/debtor`, a SIPp phone that answers at
 * once); the clock starts when the answered call enters Stasis (what the dialer hands to
 * the transfer) and stops when the desk reports the debtor bridged with the agent (the
 * agent-leg `connected` event: the ARI request that put the debtor in the agent's bridge
 * has been answered). Then the debtor is hung up and the agent is made available again.
 *
 * Modes: `line` = the agent sits on an open line (one call to `PJSIP/agent1`, answered once,
 * before the run); `ring` = the agent's phone is rung per debtor (SIPp answers after
 * --ring-ms, a person picking up). `after` = the whisper plays after the join (agent
 * campaigns, the 2 s rule); `before` = the whisper plays to the agent first while the
 * debtor hears music (a debtor's IVR choice: the wait includes the whisper).
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ScaledClock, isoUtc } from '../src/lib/clock.ts';
import { createLogger, silentLogger } from '../src/lib/log.ts';
import { answeringPhone, PORTS, startPhone, type SippPhone } from '../test/asterisk/phones.ts';

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '40' },
    'ring-ms': { type: 'string', default: '1000' },
    modes: { type: 'string', default: 'line-after,ring-after,line-before,ring-before' },
  },
});
const N = Number(values.calls);
const RING_MS = Number(values['ring-ms']);
const MODES = values.modes!.split(',').map((m) => {
  const [phone, whisper] = m.split('-');
  // tone: an IVR choice (the whisper would come first) in a campaign whose agentWhisper is 'tone'.
  if ((phone !== 'line' && phone !== 'ring') || (whisper !== 'after' && whisper !== 'before' && whisper !== 'tone')) throw new Error(`--modes: line|ring-after|before|tone, got ${m}`);
  return { name: m, line: phone === 'line', whisperAfterJoin: whisper === 'after', tone: whisper === 'tone' };
});
if (!(Number.isInteger(N) && N > 0)) throw new Error(`--calls: a whole number above 0, got ${values.calls}`);

const AST = '/opt/asterisk/sbin/asterisk';
const ETC = '/opt/asterisk/etc/asterisk';
const ARI = { url: 'http://127.0.0.1:8088', user: 'bereik', password: 'bereik-secret' };
// Monday 23 November 2026, 10:00 in Amsterdam, running on at real speed.
const ORIGIN = Date.parse('2026-11-23T09:00:00Z');
const repo = join(import.meta.dirname, '..');
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
};

async function ariUp(): Promise<boolean> {
  return fetch(`${ARI.url}/ari/asterisk/info`, { headers: { authorization: 'Basic ' + btoa(`${ARI.user}:${ARI.password}`) } }).then((r) => r.ok, () => false);
}

/** The running Asterisk, or one started here with Bereik's dialplan (stopped by the returned function). */
async function ensureAsterisk(): Promise<() => void> {
  if (await ariUp()) return () => {};
  cpSync(join(repo, 'dialplans', 'extensions.conf'), join(ETC, 'bereik-extensions.conf'));
  writeFileSync(join(ETC, 'extensions.conf'), '[general]\nstatic=yes\nwriteprotect=yes\n#include "bereik-extensions.conf"\n');
  cpSync(join(repo, 'test', 'asterisk', 'etc', 'sorcery.conf'), join(ETC, 'sorcery.conf'));
  const child = spawn(AST, ['-f', '-n'], { stdio: 'ignore' });
  for (let i = 0; i < 60 && !(await ariUp()); i++) await new Promise((r) => setTimeout(r, 500));
  return () => {
    try {
      execFileSync(AST, ['-rx', 'core stop now']);
    } catch {}
    child.kill('SIGKILL');
  };
}

async function main(): Promise<void> {
  const stopAsterisk = await ensureAsterisk();
  const phones: SippPhone[] = [startPhone(answeringPhone(PORTS.debtor, 1, []))];
  const dir = mkdtempSync(join(tmpdir(), 'bereik-bench-line-'));
  const { openDb } = await import('../src/store/db.ts');
  const { createSqliteStore } = await import('../src/store/sqlite.ts');
  const { loadConfig } = await import('../src/config/load.ts');
  const { createEngine } = await import('../src/engine.ts');
  const { createCall } = await import('../src/store/calls.ts');
  const clock = new ScaledClock(1, ORIGIN);
  const log = process.env.BENCH_LOG ? createLogger({ level: process.env.BENCH_LOG }) : silentLogger();
  const db = openDb(join(dir, 'bench.sqlite'));
  const config = loadConfig({}, {
    ari: { url: ARI.url, user: ARI.user, password: ARI.password },
    tts: { engine: 'silent', cacheDir: join(dir, 'tts') },
    agents: { ringTimeoutSec: 20, wrapUpSec: 0 },
  });
  const engine = await createEngine({ config, store: createSqliteStore(db), clock, log });
  await engine.start();
  const { desk, telephony } = engine;
  const results: { mode: string; ms: number[]; failed: number }[] = [];
  try {
    const agentId = desk.registry.create({ name: 'Bench', endpoint: 'PJSIP/agent1', skills: [] }).id;
    const connectedAt = new Map<string, number>();
    desk.on('agentLeg', (e) => e.kind === 'connected' && connectedAt.set(e.callId, performance.now()));
    let seq = 0;
    for (const mode of MODES) {
      // SIPp reads a timeout of 0 as none: 1 ms is an agent who answers at once.
      const agentPhone = startPhone(answeringPhone(PORTS.agent1, mode.line ? 1 : RING_MS, []));
      phones.push(agentPhone);
      await new Promise((r) => setTimeout(r, 300));
      if (mode.line) await desk.lines.open(agentId);
      desk.registry.tryApply(agentId, 'go_available');
      const ms: number[] = [];
      let failed = 0;
      for (let i = 0; i < N; i++) {
        const callId = `bench-${++seq}`;
        const call = await telephony.originate({ endpoint: 'PJSIP/debtor', route: { kind: 'app', args: ['bench'] }, timeoutSec: 10, channelId: `bench-${Date.now()}-${seq}` });
        if (!(await call.whenInStasis())) {
          failed++;
          continue;
        }
        const t0 = performance.now();
        createCall(db, { id: callId, direction: 'outbound', createdAt: isoUtc(clock.now()), debtorId: null, channelId: call.id, fromNumber: null, state: 'up', dtmfPath: '' });
        const outcome = await desk.transfer({ call, callId, campaignId: null, debtorId: null, claimId: null, skill: '', lang: 'nl', dtmfPath: '', reason: 'menu', whisperAfterJoin: mode.whisperAfterJoin, ...(mode.tone ? { whisper: 'tone' as const } : {}) });
        const at = connectedAt.get(callId);
        if (outcome.kind !== 'connected' || at === undefined) {
          failed++;
          await call.hangup().catch(() => {});
        } else {
          ms.push(at - t0);
          await call.hangup().catch(() => {});
          await desk.whenFinished(callId);
        }
        for (const ev of ['wrap_up_end', 'go_available'] as const) desk.registry.tryApply(agentId, ev);
      }
      if (mode.line) await desk.lines.close(agentId);
      await agentPhone.stop();
      phones.splice(phones.indexOf(agentPhone), 1);
      results.push({ mode: mode.name, ms, failed });
      console.log(`${mode.name.padEnd(12)} n=${ms.length} failed=${failed}  p50 ${pct(ms, 50).toFixed(1)} ms  p99 ${pct(ms, 99).toFixed(1)} ms  max ${Math.max(...ms).toFixed(1)} ms`);
    }
  } finally {
    await engine.stop();
    for (const p of phones) await p.stop();
    stopAsterisk();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(JSON.stringify({ calls: N, ringMs: RING_MS, results: results.map((r) => ({ mode: r.mode, n: r.ms.length, failed: r.failed, p50: +pct(r.ms, 50).toFixed(1), p99: +pct(r.ms, 99).toFixed(1), max: +Math.max(...r.ms).toFixed(1) })) }));
}

main().then(() => process.exit(0), (err) => {
  console.error(err);
  process.exit(1);
});
