import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock, ScaledClock } from '../../src/lib/clock.ts';

test('FakeClock fires timers in time order only when advanced', async () => {
  const clock = new FakeClock('2026-11-23T09:00:00Z');
  const fired: string[] = [];
  clock.setTimeout(() => fired.push('b@200'), 200);
  clock.setTimeout(() => fired.push('a@100'), 100);
  const cancelled = clock.setTimeout(() => fired.push('never'), 150);
  cancelled.cancel();
  assert.deepEqual(fired, []);
  await clock.advance(150);
  assert.deepEqual(fired, ['a@100']);
  await clock.advance(100);
  assert.deepEqual(fired, ['a@100', 'b@200']);
  assert.equal(clock.now(), Date.parse('2026-11-23T09:00:00.250Z'));
  assert.equal(clock.pending, 0);
});

test('FakeClock delay rejects with the abort reason when the step is cancelled', async () => {
  const clock = new FakeClock();
  const ac = new AbortController();
  const waiting = clock.delay(5000, ac.signal);
  ac.abort(new Error('caller hung up'));
  await assert.rejects(waiting, /caller hung up/);
  assert.equal(clock.pending, 0, 'the timer of an aborted delay is cleared');
});

test('FakeClock refuses to go back in time', async () => {
  const clock = new FakeClock('2026-11-23T09:00:00Z');
  await assert.rejects(clock.set('2026-11-22T09:00:00Z'), /cannot go back/);
});

test('ScaledClock runs faster than the wall clock by its scale', async () => {
  const clock = new ScaledClock(100, 0);
  const started = clock.now();
  await clock.delay(2000); // 2 s of clock time = ~20 ms real
  assert.ok(clock.now() - started >= 1900, `clock advanced ${clock.now() - started} ms`);
  assert.throws(() => new ScaledClock(0), /scale must be > 0/);
});

test('ScaledClock never fires a timer before its moment, though Node may wake a millisecond early', async () => {
  const clock = new ScaledClock(1000, 0);
  const early: number[] = [];
  await Promise.all(
    Array.from({ length: 100 }, (_, i) => {
      const ms = 1000 + (i % 7) * 500; // 1–4 real ms
      // Busy work before arming leaves Node's cached loop time behind the real one, which is
      // what makes its timers wake early under load.
      const busyUntil = performance.now() + 2;
      while (performance.now() < busyUntil);
      const due = clock.now() + ms;
      return new Promise<void>((resolve) =>
        clock.setTimeout(() => {
          if (clock.now() < due) early.push(due - clock.now());
          resolve();
        }, ms),
      );
    }),
  );
  assert.deepEqual(early, [], 'every timer fired at or after its moment');
});
