import { test } from 'node:test';
import assert from 'node:assert/strict';
import { email, startEmailRig } from '../helpers/email-rig.ts';

test('stop() mid-burst: every message is either delivered and ok, or not delivered and to be retried', async (t) => {
  const rig = await startEmailRig();
  t.after(() => rig.server.close());
  const to = (i: number) => `debtor${i}@example.nl`;

  const pending = Array.from({ length: 40 }, (_, i) => rig.channel.submit(email(to(i), { messageId: i })));
  await pending[0];
  await rig.channel.stop();
  const results = await Promise.all(pending);

  const kinds = new Set(results.map((r) => (r.ok ? 'ok' : `${r.kind} ${r.code}`)));
  for (const kind of kinds) assert.ok(kind === 'ok' || kind === 'retry EMAIL_STOPPED', `unexpected outcome ${kind}`);
  assert.ok(results[0]!.ok, 'the first one was delivered before the stop');
  results.forEach((r, i) => {
    assert.equal(rig.server.inbox(to(i)).length, r.ok ? 1 : 0, `message ${i}: ${r.ok ? 'ok but not delivered' : 'retry but delivered'}`);
  });
  assert.equal(rig.channel.health().links[0]!.state, 'stopped');
});
