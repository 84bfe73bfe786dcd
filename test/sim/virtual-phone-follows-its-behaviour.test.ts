import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../src/lib/clock.ts';
import { PhoneSession, type PhoneCallRecord } from '../../src/sim/phone.ts';
import type { PhoneBehaviour } from '../../src/sim/scenario.ts';

function session(behaviour: PhoneBehaviour, clock: FakeClock) {
  const record: PhoneCallRecord = {
    channelId: 'c', direction: 'outbound', phone: '+31600000000', endpoint: 'PJSIP/+31600000000@trunk', from: '', to: '', behaviour,
    startedAt: '', answeredAt: null, endedAt: null, result: 'live', amd: null, heard: [], keys: [], moh: [], bridgedWith: [],
    voices: [],
    hangupCause: null, hangupCauseText: null, hungUpBy: null,
  };
  const s = new PhoneSession(record, behaviour, clock, clock.now());
  const pressed: string[] = [];
  const hangups: number[] = [];
  const start = clock.now();
  s.actions = {
    press: (d) => (pressed.push(`${d}@${clock.now() - start}`), true),
    hangup: (cause) => hangups.push(cause),
  };
  return { s, pressed, hangups };
}

test('keys relative to the answer, to a prompt start and to a prompt end, with gaps between digits', async () => {
  const clock = new FakeClock();
  const { s, pressed } = session({ keys: [{ atMs: 500, keys: '*' }, { afterPrompt: 1, delayMs: 300, keys: '12', gapMs: 100 }, { afterPrompt: 2, on: 'end', keys: '#' }] }, clock);
  s.answered();
  await clock.advance(1000);
  s.promptStarted('p1', 'sound:a', 'channel', 2000);
  await clock.advance(1000);
  s.promptEnded('p1', 'done');
  s.promptStarted('p2', 'sound:b', 'channel', 1000);
  await clock.advance(1000);
  s.promptEnded('p2', 'done');
  await clock.advance(10);
  assert.deepEqual(pressed, ['*@500', '1@1300', '2@1400', '#@3000']);
  assert.deepEqual(s.record.heard.map((h) => [h.media, h.end, h.playedMs]), [['sound:a', 'done', 2000], ['sound:b', 'done', 1000]]);
});

test('hang-up during the n-th prompt, and on silence only when nothing plays', async () => {
  const clock = new FakeClock();
  const a = session({ hangup: { duringPrompt: 2, delayMs: 700, cause: 0 } }, clock);
  a.s.answered();
  a.s.promptStarted('p1', 'sound:a', 'channel', 1000);
  await clock.advance(1000);
  a.s.promptEnded('p1', 'done');
  a.s.promptStarted('p2', 'sound:b', 'channel', 5000);
  await clock.advance(700);
  assert.deepEqual(a.hangups, [0]);

  const b = session({ hangup: { idleMs: 3000 } }, clock);
  b.s.answered();
  await clock.advance(2000);
  b.s.mohChanged('default');
  await clock.advance(10000);
  assert.deepEqual(b.hangups, [], 'no hang-up while music plays');
  b.s.mohChanged(null);
  await clock.advance(2999);
  assert.deepEqual(b.hangups, []);
  await clock.advance(1);
  assert.deepEqual(b.hangups, [16]);
});

test('the end of the call cuts what was playing and stops every pending action', async () => {
  const clock = new FakeClock();
  const { s, pressed } = session({ keys: [{ atMs: 5000, keys: '1' }] }, clock);
  s.answered();
  s.promptStarted('p1', 'sound:a', 'channel', 4000);
  await clock.advance(1500);
  s.ended('answered', 16, 'Normal Clearing', 'app');
  await clock.advance(10000);
  assert.deepEqual(pressed, []);
  assert.equal(clock.pending, 0);
  assert.deepEqual([s.record.heard[0]!.end, s.record.heard[0]!.playedMs], ['hangup', 1500]);
  assert.equal(s.record.hungUpBy, 'app');
});
