/**
 * The simulator against real Asterisk 22 recordings (../shared/ari-traces): each trace's
 * REST requests are replayed against the simulator (ids mapped from the trace's answers
 * to the simulator's), with the virtual phones behaving like the recorded SIPp phones,
 * and the event sequence and REST answers are compared on what Bereik reads. Order is
 * compared, not milliseconds.
 *
 * Deliberate differences, each handled here rather than hidden in the simulator:
 * - TTS files: the trace plays sound:/var/lib/bereik/tts/welkom-nl (a 4.8 s 8 kHz WAV on
 *   the recording host); the replay points that path at a 4.8 s WAV in a temp folder.
 * - A play answer said state "playing" once (trace 08) where it usually says "queued":
 *   a race inside Asterisk; either is accepted.
 * - GET /endpoints: the simulator lists the endpoints of its scenario; the test checks
 *   that every endpoint the trace lists is there.
 * - Dial/ChannelStateChange order during call setup is a race (see trace-compare.ts).
 */
import { after, describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ScaledClock } from '../../src/lib/clock.ts';
import { loadScenario } from '../../src/sim/scenario.ts';
import { DEFAULT_SCENARIO_FILE, startSim, type KeyAction, type PhoneBehaviour, type Scenario } from '../../src/sim/index.ts';
import { TestAri } from './ari-test-client.ts';
import { canon, compareSequences, isSetupRace, Labels, NOISE, readTrace, type AriEventJson, type TraceLine } from './trace-compare.ts';
import { silentWav } from '../../src/tts/wav.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const TRACES = join(repoRoot, '../shared/ari-traces');
/** Our own recordings from the real Asterisk of the CI stage (test/asterisk/record-trace.ts), for behaviours the shared ones lack. */
const OWN_TRACES = join(repoRoot, 'test/fixtures/ari-traces');
/** Trace time runs 3× faster in the replay (the 18 s warm transfer takes 6 s): fast, with margin for a busy machine. */
const SCALE = 3;


type EventLine = Extract<TraceLine, { dir: 'event' }>;

/** Events about one channel: its own, and playbacks on it. */
function channelEvents(lines: TraceLine[], id: string): EventLine[] {
  return lines.filter(
    (l): l is EventLine => l.dir === 'event' && !NOISE.has(l.event.type) && (l.event.channel?.id === id || l.event.playback?.target_uri === `channel:${id}`),
  );
}

/**
 * The recorded phone's keys, placed so the app sees them between the same two events as
 * in the trace: each key goes midway between its neighbours, counted from the start of
 * the prompt playing then or the end of the last one (or from the answer). Timing it from the answer alone, as SIPp did, would
 * leave 80 ms between a key and the end of a prompt (trace 01): too little on a busy machine.
 */
function derivedKeys(evs: EventLine[]): KeyAction[] {
  const answerT = evs.find((l) => l.event.type === 'ChannelStateChange' && l.event.channel.state === 'Up')?.t ?? evs[0]?.t ?? 0;
  const failed = new Set(evs.filter((l) => l.event.type === 'PlaybackFinished' && l.event.playback.state === 'failed').map((l) => l.event.playback.id));
  const keys: KeyAction[] = [];
  let prompt = 0;
  /** The last prompt moment before the key: its start while it plays, its end once finished. */
  let anchor: { t: number; on: 'start' | 'end' } | undefined;
  evs.forEach((l, i) => {
    const e = l.event;
    const counted = e.playback && !failed.has(e.playback.id);
    if (e.type === 'PlaybackStarted' && counted) (prompt++, (anchor = { t: l.t, on: 'start' }));
    if (e.type === 'PlaybackFinished' && counted) anchor = { t: l.t, on: 'end' };
    if (e.type !== 'ChannelDtmfReceived') return;
    const prev = evs[i - 1]?.t ?? answerT;
    const next = evs.slice(i + 1).find((n) => n.event.type !== 'ChannelDtmfReceived')?.t ?? prev + 2000;
    const at = Math.round((prev + next) / 2);
    if (anchor) keys.push({ afterPrompt: prompt, on: anchor.on, delayMs: at - anchor.t, keys: String(e.digit) });
    else keys.push({ atMs: at - answerT, keys: String(e.digit) });
  });
  return keys;
}

/** The recorded inbound caller: its keys, and when and how it hung up (cause 16 in 04, none in 08). */
function inboundBehaviour(lines: TraceLine[], channelId: string): PhoneBehaviour {
  const evs = channelEvents(lines, channelId);
  const answerT = evs.find((l) => l.event.type === 'ChannelStateChange' && l.event.channel.state === 'Up')?.t ?? 0;
  const hang = evs.find((l) => l.event.type === 'ChannelHangupRequest' && !l.event.soft);
  const b: PhoneBehaviour = { outcome: 'answer', keys: derivedKeys(evs) };
  if (hang) b.hangup = { afterMs: Math.round((hang.t - answerT) / 100) * 100, cause: hang.event.cause ?? 0 };
  // In trace 04 the caller's key went into the native RTP bridge with the agent and never
  // reached the app: the replay's caller presses 2 well inside that bridged period.
  if (b.keys!.length === 0) b.keys = [{ atMs: 10000, keys: '2' }];
  return b;
}

function scenarioFor(lines: TraceLine[]): Scenario {
  const s = loadScenario(DEFAULT_SCENARIO_FILE);
  const start = lines.find((l) => l.dir === 'event' && l.event.type === 'StasisStart' && l.event.args?.length === 4);
  if (start?.dir === 'event') {
    // SIPp's debtor sends no speech: AMD answered NOTSURE after listening ~5 s (trace 05).
    const [, , status, cause] = start.event.args as string[];
    s.phones!['PJSIP/debtor'] = { ...s.phones!['PJSIP/debtor'], amd: { status: status as 'NOTSURE', cause, ms: 5000 } };
  }
  // Originated phones that pressed keys press them between the same events as recorded.
  for (const [i, l] of lines.entries()) {
    if (l.dir !== 'rest-req' || l.method !== 'POST' || l.path !== '/channels' || !l.query?.endpoint) continue;
    const res = lines.slice(i + 1).find((r) => r.dir === 'rest-res' && r.path === '/channels');
    const id = res?.dir === 'rest-res' ? res.body?.id : undefined;
    const evs = id ? channelEvents(lines, id) : [];
    const keys = derivedKeys(evs);
    if (keys.length) s.phones![l.query.endpoint] = { ...s.phones![l.query.endpoint], keys };
    // A phone that rang before its final SIP answer (trace 11) rings as long in the replay.
    const rang = lines.find((e) => e.dir === 'event' && e.event.type === 'Dial' && e.event.dialstatus === 'RINGING' && e.event.peer?.id === id);
    const refused = evs.find((e) => e.event.type === 'ChannelHangupRequest' && 'tech_cause' in e.event);
    if (rang && refused) s.phones![l.query.endpoint] = { outcome: 'sip', sipStatus: refused.event.tech_cause, ringMs: refused.t - rang.t };
  }
  return s;
}

function checkAnswer(req: Extract<TraceLine, { dir: 'rest-req' }>, want: Extract<TraceLine, { dir: 'rest-res' }>, got: { status: number; body: any }): string[] {
  const where = `${req.method} ${req.path}`;
  const d: string[] = [];
  if (got.status !== want.status) return [`${where}: status ${got.status}, trace ${want.status} (${JSON.stringify(got.body)})`];
  if (want.status >= 400) {
    if (JSON.stringify(got.body) !== JSON.stringify(want.body)) d.push(`${where}: body ${JSON.stringify(got.body)}, trace ${JSON.stringify(want.body)}`);
    return d;
  }
  if (want.body === null || want.body === undefined) return d;
  const w = want.body;
  const g = got.body;
  const same = (what: string, a: unknown, b: unknown) => {
    if (JSON.stringify(a) !== JSON.stringify(b)) d.push(`${where}: ${what} ${JSON.stringify(b)}, trace ${JSON.stringify(a)}`);
  };
  const seg = req.path.split('/').filter(Boolean);
  if (seg[0] === 'channels' && seg.length <= 2 && req.method !== 'DELETE') {
    if (Array.isArray(w)) same('channel states', w.map((c: any) => c.state), g.map((c: any) => c.state));
    else for (const k of ['state', 'caller', 'connected']) same(k, w[k], g[k]);
  } else if (seg[2] === 'play' || seg[0] === 'playbacks') {
    if (!['queued', 'playing'].includes(g.state)) d.push(`${where}: playback state ${g.state}`);
    same('media', w.media_uri.replace(/^sound:\/var\/lib\/bereik\/tts\//, 'sound:TTS/'), String(g.media_uri).replace(/^sound:\/.*\/(?=[^/]+$)/, 'sound:TTS/'));
  } else if (seg[2] === 'variable') same('value', w.value, g.value);
  else if (seg[0] === 'bridges' && !Array.isArray(w)) for (const k of ['technology', 'bridge_type', 'name']) same(k, w[k], g[k]);
  else if (seg[0] === 'applications') {
    const list = (x: any) => (Array.isArray(x) ? x : [x]).map((a: any) => `${a.name}:${a.channel_ids.length}:${a.bridge_ids.length}`);
    same('applications', list(w), list(g));
  } else if (seg[0] === 'endpoints') {
    const have = new Set(g.map((e: any) => `${e.technology}/${e.resource}`));
    for (const e of w) if (!have.has(`${e.technology}/${e.resource}`)) d.push(`${where}: endpoint ${e.technology}/${e.resource} missing`);
  } else if (seg[0] === 'asterisk') same('system keys', Object.keys(w.system), Object.keys(g.system));
  if (seg[0] === 'bridges' && seg.length === 2 && !Array.isArray(w)) same('channel count', w.channels.length, g.channels.length);
  return d;
}

async function replay(file: string, ttsDir: string): Promise<string[]> {
  const lines = readTrace(file);
  const clock = new ScaledClock(SCALE);
  const sim = await startSim({ clock, scenario: scenarioFor(lines) });
  const ari = new TestAri(sim);
  const diffs: string[] = [];
  const ids = new Map<string, string>();
  const mapId = (s: string) => {
    for (const [from, to] of ids) s = s.split(from).join(to);
    return s;
  };
  const relevant = () => ari.events.filter((e) => !NOISE.has(e.type));
  try {
    await ari.connect();
    const traceEvents = lines.filter((l): l is Extract<TraceLine, { dir: 'event' }> => l.dir === 'event' && !NOISE.has(l.event.type));
    let t0 = clock.now();
    // An inbound trace starts with the caller already in Stasis: the virtual caller dials in.
    const first = traceEvents[0];
    if (first?.event.type === 'StasisStart' && first.event.args?.[0] === 'inbound') {
      t0 -= first.t;
      const c = first.event.channel;
      const simId = await sim.asterisk.callIn({ from: c.caller.number, exten: first.event.args[1], behaviour: inboundBehaviour(lines, c.id) });
      ids.set(c.id, simId);
    }
    let eventsSeen = 0;
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i]!;
      if (l.dir === 'event') {
        if (!NOISE.has(l.event.type)) eventsSeen++;
        continue;
      }
      if (l.dir !== 'rest-req' && l.dir !== 'ws') continue;
      // Same moment as in the trace (scaled), and not before the simulator has sent the events the client had seen.
      await clock.delay(Math.max(0, t0 + l.t - clock.now()));
      const need = eventsSeen;
      const ok = await waitUntil(() => relevant().length >= need, 5000);
      if (!ok) {
        diffs.push(`before ${l.dir === 'ws' ? `ws ${l.what}` : `${l.method} ${l.path}`}: simulator sent ${relevant().length} events, trace had ${need}`);
        break;
      }
      if (l.dir === 'ws') {
        if (l.what === 'close') await ari.disconnect();
        else await ari.connect();
        continue;
      }
      const query = Object.fromEntries(Object.entries(l.query ?? {}).map(([k, v]) => [k, mapId(String(v)).replace('sound:/var/lib/bereik/tts/', `sound:${ttsDir}/`)]));
      const got = await ari.req(l.method, mapId(l.path), query, l.body);
      const res = lines.slice(i + 1).find((r): r is Extract<TraceLine, { dir: 'rest-res' }> => r.dir === 'rest-res' && r.path === l.path && r.method === l.method);
      if (!res) continue;
      diffs.push(...checkAnswer(l, res, got));
      if (res.status < 300 && res.body && typeof res.body.id === 'string' && got.body?.id) ids.set(res.body.id, got.body.id);
    }
    // Then everything the trace saw after its last request, and nothing more.
    await clock.delay(Math.max(0, t0 + (traceEvents.at(-1)?.t ?? 0) - clock.now()));
    await waitUntil(() => relevant().length >= traceEvents.length, 5000);
    await clock.delay(300);
    const tl = new Labels();
    const sl = new Labels();
    diffs.push(
      ...compareSequences(
        traceEvents.map((l) => ({ t: l.t, racy: isSetupRace(l.event), line: canon(l.event, tl) })),
        relevant().map((e) => ({ racy: isSetupRace(e as AriEventJson), line: canon(e as AriEventJson, sl) })),
      ),
    );
  } finally {
    await ari.disconnect();
    await sim.close();
  }
  return diffs;
}

async function waitUntil(pred: () => boolean, realMs: number): Promise<boolean> {
  const until = performance.now() + realMs;
  while (!pred()) {
    if (performance.now() > until) return false;
    await new Promise((r) => setTimeout(r, 2));
  }
  return true;
}

if (!existsSync(TRACES)) {
  test('simulator matches the recorded Asterisk traces', { skip: `no traces at ${TRACES} (they live beside the repo in ../shared/ari-traces)` }, () => {});
} else {
  const files = [TRACES, OWN_TRACES].flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort().map((f) => join(dir, f)));
  describe('simulator replays the recorded Asterisk traces with the same events and answers', { concurrency: true }, () => {
    const ttsDir = mkdtempSync(join(tmpdir(), 'bereik-tts-'));
    writeFileSync(join(ttsDir, 'welkom-nl.wav'), silentWav(4800));
    for (const f of files) {
      it(basename(f, '.jsonl'), async () => {
        const diffs = await replay(f, ttsDir);
        assert.deepEqual(diffs, [], `${f}:\n  ${diffs.join('\n  ')}`);
      });
    }
    after(() => rmSync(ttsDir, { recursive: true, force: true }));
  });
}
