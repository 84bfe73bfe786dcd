import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../src/lib/clock.ts';
import { TokenBucket, takeAll } from '../../src/dialer/token-bucket.ts';

test('5 calls per second: a burst of 5, then one every 200 ms', async () => {
  const clock = new FakeClock();
  const b = new TokenBucket(clock, 5);
  for (let i = 0; i < 5; i++) assert.equal(b.take(), true);
  assert.equal(b.take(), false);
  assert.equal(b.msUntilNext(), 200);
  await clock.advance(199);
  assert.equal(b.take(), false);
  await clock.advance(1);
  assert.equal(b.take(), true);
  await clock.advance(10_000);
  assert.equal(b.available(), 5, 'never more than the burst');
});

test('a fractional rate (0.5/s) lets one call through every 2 s', async () => {
  const clock = new FakeClock();
  const b = new TokenBucket(clock, 0.5);
  assert.equal(b.take(), true);
  assert.equal(b.msUntilNext(), 2000);
  await clock.advance(2000);
  assert.equal(b.take(), true);
});

test('a call needs a token from both the trunk and the campaign, and takes neither when one is empty', async () => {
  const clock = new FakeClock();
  const trunk = new TokenBucket(clock, 1);
  const campaign = new TokenBucket(clock, 10);
  assert.equal(takeAll([trunk, campaign]), true);
  assert.equal(takeAll([trunk, campaign]), false);
  assert.equal(campaign.available(), 9, 'the campaign token was not spent on the refused call');
});
