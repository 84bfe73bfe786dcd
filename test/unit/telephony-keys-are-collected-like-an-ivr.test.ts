import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../src/lib/clock.ts';
import { DigitBuffer } from '../../src/telephony/dtmf.ts';
import type { Playback, PlaybackEnd } from '../../src/telephony/types.ts';

const base = { maxDigits: 4, firstDigitTimeoutMs: 5000, interDigitTimeoutMs: 3000 };

function fakePrompt(): Playback & { stops: number; finish(end: PlaybackEnd): void } {
  let settle!: (e: PlaybackEnd) => void;
  const finished = new Promise<PlaybackEnd>((r) => (settle = r));
  const p = {
    id: 'pb1',
    media: 'sound:menu',
    finished,
    stops: 0,
    finish: (e: PlaybackEnd) => settle(e),
    onNext: () => {},
    stop: async () => {
      p.stops++;
      settle('stopped');
    },
  };
  return p;
}

test('a menu choice: one key completes at once', async () => {
  const clock = new FakeClock();
  const keys = new DigitBuffer(clock);
  const got = keys.collect({ ...base, maxDigits: 1 });
  await clock.advance(1200);
  keys.push('3');
  assert.deepEqual(await got, { digits: '3', reason: 'complete' });
  assert.equal(clock.pending, 0, 'no timer outlives the collection');
});

test('a debtor number ends on # without the #', async () => {
  const clock = new FakeClock();
  const keys = new DigitBuffer(clock);
  const got = keys.collect({ ...base, maxDigits: 10, terminator: '#' });
  for (const k of '4711#') {
    await clock.advance(800);
    keys.push(k);
  }
  assert.deepEqual(await got, { digits: '4711', reason: 'terminator' });
});

test('silence: the first-digit timeout gives nothing; a pause after some keys gives what was typed', async () => {
  const clock = new FakeClock();
  const keys = new DigitBuffer(clock);
  const none = keys.collect(base);
  await clock.advance(4999);
  let settled = false;
  void none.then(() => (settled = true));
  await clock.advance(0);
  assert.equal(settled, false, 'still waiting just before the first-digit timeout');
  await clock.advance(1);
  assert.deepEqual(await none, { digits: '', reason: 'timeout' });

  const some = keys.collect(base);
  keys.push('1');
  await clock.advance(2000);
  keys.push('2');
  await clock.advance(3000);
  assert.deepEqual(await some, { digits: '12', reason: 'timeout' });
});

test('keys pressed before anyone asked are kept and used first (type-ahead); the surplus stays', async () => {
  const clock = new FakeClock();
  const keys = new DigitBuffer(clock);
  keys.push('1');
  keys.push('9');
  assert.equal(keys.pending, '19');
  assert.deepEqual(await keys.collect({ ...base, maxDigits: 1 }), { digits: '1', reason: 'complete' });
  assert.equal(keys.pending, '9');
  keys.clear();
  assert.equal(keys.pending, '');
});

test('barge-in: the first key stops the prompt; the first-digit wait only starts when the prompt ends', async () => {
  const clock = new FakeClock();
  const keys = new DigitBuffer(clock);
  const prompt = fakePrompt();
  const got = keys.collect({ ...base, maxDigits: 2, bargeIn: prompt });
  await clock.advance(20_000); // a long prompt still playing: no timeout yet
  keys.push('2');
  assert.equal(prompt.stops, 1);
  assert.equal(await prompt.finished, 'stopped');
  keys.push('5');
  assert.deepEqual(await got, { digits: '25', reason: 'complete' });
  assert.equal(prompt.stops, 1, 'stopped once');

  const quiet = fakePrompt();
  const late = keys.collect({ ...base, bargeIn: quiet });
  quiet.finish('done');
  await clock.advance(4999);
  keys.push('7');
  await clock.advance(3000);
  assert.deepEqual(await late, { digits: '7', reason: 'timeout' });
  assert.equal(quiet.stops, 1, 'a key after the prompt ended still asks to stop it (harmless)');
});

test('a hang-up ends the collection with what was typed, and later collections answer hangup at once', async () => {
  const clock = new FakeClock();
  const keys = new DigitBuffer(clock);
  const got = keys.collect(base);
  keys.push('8');
  keys.close();
  assert.deepEqual(await got, { digits: '8', reason: 'hangup' });
  assert.deepEqual(await keys.collect(base), { digits: '', reason: 'hangup' });
  assert.equal(clock.pending, 0);
});

test('two collections at once on one call is a programming error', async () => {
  const keys = new DigitBuffer(new FakeClock());
  void keys.collect(base);
  await assert.rejects(keys.collect(base), /already running/);
  keys.close();
});
