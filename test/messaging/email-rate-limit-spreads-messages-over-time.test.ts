import { test } from 'node:test';
import assert from 'node:assert/strict';
import { email, startEmailRig } from '../helpers/email-rig.ts';

test('with email.ratePerSecond = 4, twelve messages take at least two seconds and all arrive', async (t) => {
  const rig = await startEmailRig({ config: { ratePerSecond: 4, poolSize: 4 } });
  t.after(() => rig.close());
  const started = performance.now();
  const results = await Promise.all(Array.from({ length: 12 }, (_, i) => rig.channel.submit(email(`debtor${i}@example.nl`, { messageId: i }))));
  const elapsed = performance.now() - started;
  assert.ok(results.every((r) => r.ok));
  assert.ok(elapsed >= 1900, `12 messages at 4/s took only ${elapsed.toFixed(0)} ms`);
});

test('without a rate limit the same twelve go out at once', async (t) => {
  const rig = await startEmailRig({ config: { ratePerSecond: 0, poolSize: 4 } });
  t.after(() => rig.close());
  const started = performance.now();
  const results = await Promise.all(Array.from({ length: 12 }, (_, i) => rig.channel.submit(email(`debtor${i}@example.nl`, { messageId: i }))));
  assert.ok(results.every((r) => r.ok));
  assert.ok(performance.now() - started < 1900);
});
