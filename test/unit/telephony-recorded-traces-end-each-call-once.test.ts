/**
 * Replays the events recorded from a real Asterisk 22 (../shared/ari-traces) into the
 * client's event routing, without sockets: every call must end exactly once, with the
 * cause, dial status and answered flag a debtor's outcome is built from.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { FakeClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { narrowAriEvent } from '../../src/telephony/ari-events.ts';
import { AriTelephony } from '../../src/telephony/index.ts';
import type { Call, HangupInfo, StasisEntry } from '../../src/telephony/types.ts';

const TRACES = new URL('../../../shared/ari-traces/', import.meta.url);
const NO_TRACES = existsSync(TRACES) ? false : 'the recorded ARI traces (../shared/ari-traces beside the project) are not on this machine';

interface Line {
  dir: string;
  method?: string;
  path?: string;
  status?: number;
  query?: Record<string, string>;
  body?: { id?: string };
  event?: unknown;
}

interface Replayed {
  calls: Map<string, Call>;
  inbound: StasisEntry[];
  ends: Map<string, HangupInfo[]>;
}

/** Originated channels get their handle first (the client registers it before POST /channels). */
async function replay(file: string, origin?: 'originate-dialplan'): Promise<Replayed> {
  const lines = readFileSync(new URL(file, TRACES), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Line);
  const clock = new FakeClock();
  const tel = new AriTelephony({ url: 'http://127.0.0.1:9', user: 'u', password: 'p', app: 'bereik', clock, log: silentLogger(), sweepIntervalMs: 0 });
  const out: Replayed = { calls: new Map(), inbound: [], ends: new Map() };
  const follow = (c: Call) => {
    out.calls.set(c.id, c);
    c.on('ended', (info) => out.ends.set(c.id, [...(out.ends.get(c.id) ?? []), info]));
  };
  tel.on('inbound', (c, entry) => {
    out.inbound.push(entry);
    follow(c);
  });
  const requests = lines.filter((l) => l.dir === 'rest-req' && l.method === 'POST' && l.path === '/channels');
  const answers = lines.filter((l) => l.dir === 'rest-res' && l.method === 'POST' && l.path === '/channels' && l.status === 200);
  answers.forEach((res, i) => {
    const viaApp = requests[i]?.query?.app !== undefined;
    // White-box: the handle originate() would have registered before sending the request.
    follow(tel['newCall'](res.body!.id!, origin ?? (viaApp ? 'originate-app' : 'originate-dialplan')));
  });
  for (const l of lines) {
    if (l.dir !== 'event') continue;
    const e = narrowAriEvent(l.event);
    if (e) tel['route'](e);
  }
  // Grace timers (StasisEnd → ChannelDestroyed) run out.
  await clock.advance(10_000);
  return out;
}

function only(r: Replayed): HangupInfo {
  assert.equal(r.calls.size, 1);
  const [info, ...more] = [...r.ends.values()][0] ?? [];
  assert.ok(info, 'the call ended');
  assert.equal(more.length, 0, 'ended exactly once');
  return info;
}

test('outbound answered with DTMF: keys are kept for the flow, the app hang-up ends it once with 16', { skip: NO_TRACES }, async () => {
  const r = await replay('01-outbound-answered-dtmf.jsonl');
  const info = only(r);
  assert.equal(info.cause, 16);
  assert.equal(info.answered, true);
  assert.equal(info.dialStatus, undefined);
  const call = [...r.calls.values()][0];
  assert.deepEqual(call?.entry, { kind: 'outbound', callId: 'call-1', amd: { status: 'NOTCHECKED', cause: '' } });
  assert.equal(call?.pendingDigits, '12#', 'keys nobody collected yet stay readable (DTMF path of the outcome)');
});

test('never answered: busy, no answer, unreachable and SIP failures end with the recorded cause and dial status', { skip: NO_TRACES }, async () => {
  const cases: [string, number, string | undefined][] = [
    ['02a-outbound-busy.jsonl', 17, 'BUSY'],
    ['02b-outbound-noanswer.jsonl', 19, undefined],
    ['02c-outbound-unreachable.jsonl', 19, undefined],
    ['10-outbound-sip-404.jsonl', 1, 'NOANSWER'],
    ['10-outbound-sip-480.jsonl', 19, 'NOANSWER'],
    ['10-outbound-sip-503.jsonl', 34, 'CONGESTION'],
    ['10-outbound-sip-603.jsonl', 21, 'NOANSWER'],
  ];
  for (const [file, cause, dialStatus] of cases) {
    const info = only(await replay(file));
    assert.equal(info.cause, cause, file);
    assert.equal(info.dialStatus, dialStatus, file);
    assert.equal(info.answered, false, file);
  }
});

test('a busy call routed through the AMD dialplan, followed by subscription, ends with the real cause 17', { skip: NO_TRACES }, async () => {
  // Same wire events as an app-originated busy call: the subscription delivers them.
  const info = only(await replay('02a-outbound-busy.jsonl', 'originate-dialplan'));
  assert.equal(info.cause, 17);
  assert.equal(info.dialStatus, 'BUSY');
});

test('inbound: offered once with its entry, ended by StasisEnd (no ChannelDestroyed comes)', { skip: NO_TRACES }, async () => {
  const r = await replay('03-inbound-callback.jsonl');
  assert.deepEqual(r.inbound, [{ kind: 'inbound', exten: '0201234567' }]);
  const info = only(r);
  assert.equal(info.answered, true);
  assert.equal([...r.calls.values()][0]?.pendingDigits, '2');
});

test('AMD through the dialplan: the verdict arrives in the entry and StasisEnd ends the call', { skip: NO_TRACES }, async () => {
  const r = await replay('05-amd-dialplan.jsonl');
  const info = only(r);
  assert.deepEqual([...r.calls.values()][0]?.entry, { kind: 'outbound', callId: 'call-5', amd: { status: 'NOTSURE', cause: 'TOOLONG-4921' } });
  assert.equal(info.answered, true);
});

test('phone hangs up during a prompt: cause 0 as Asterisk reported, not by the app', { skip: NO_TRACES }, async () => {
  const info = only(await replay('09-hangup-during-prompt.jsonl'));
  assert.equal(info.cause, 0);
  assert.equal(info.byApp, false);
  assert.equal(info.answered, true);
});

test('warm transfer: caller and agent leg each end exactly once', { skip: NO_TRACES }, async () => {
  const r = await replay('04-warm-transfer.jsonl');
  assert.deepEqual(r.inbound, [{ kind: 'inbound', exten: '0201234567' }]);
  assert.equal(r.calls.size, 2);
  for (const [id, ends] of r.ends) assert.equal(ends.length, 1, id);
  assert.equal(r.ends.size, 2);
});

test('every recorded trace replays without an exception', { skip: NO_TRACES }, async () => {
  for (const f of readdirSync(TRACES).filter((n) => n.endsWith('.jsonl'))) await replay(f);
});
