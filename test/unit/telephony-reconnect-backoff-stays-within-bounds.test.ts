import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay } from '../../src/telephony/backoff.ts';

test('reconnect delays stay between the configured minimum and maximum, whatever the draw', () => {
  for (let attempt = 0; attempt < 40; attempt++) {
    for (const r of [0, 0.001, 0.25, 0.5, 0.999, 1]) {
      const d = backoffDelay(attempt, 250, 15000, () => r);
      assert.ok(d >= 250 && d <= 15000, `attempt ${attempt}, draw ${r}: ${d}`);
    }
  }
});

test('the ceiling doubles per attempt until it reaches the maximum (full jitter draws below it)', () => {
  const top = (attempt: number) => backoffDelay(attempt, 250, 15000, () => 1);
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7, 50].map(top), [250, 500, 1000, 2000, 4000, 8000, 15000, 15000, 15000]);
  assert.equal(backoffDelay(5, 250, 15000, () => 0), 250, 'the lowest draw is the minimum');
  assert.equal(backoffDelay(3, 250, 15000, () => 0.5), 1125, 'halfway between 250 and 2000');
});

test('draws are spread out, so many clients do not reconnect in lockstep', () => {
  const seen = new Set<number>();
  for (let i = 0; i < 200; i++) seen.add(backoffDelay(6, 250, 15000));
  assert.ok(seen.size > 50, `only ${seen.size} distinct delays in 200 draws`);
});

test('odd inputs do not produce negative or infinite delays', () => {
  assert.equal(backoffDelay(-3, 250, 15000, () => 1), 250);
  assert.equal(backoffDelay(1e9, 250, 15000, () => 1), 15000);
  assert.equal(backoffDelay(2, 500, 100, () => 1), 100, 'a maximum below the minimum wins');
  assert.equal(backoffDelay(2, 250, 15000, () => 7), 1000, 'a draw above 1 is clamped');
});
