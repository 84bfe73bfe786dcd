import { test } from 'node:test';
import assert from 'node:assert/strict';
import { email, startEmailRig } from '../helpers/email-rig.ts';

test('a recipient the relay refuses with 550 is a permanent failure carrying the SMTP code: the bounce to record', async (t) => {
  const rig = await startEmailRig();
  t.after(() => rig.close());

  const result = await rig.channel.submit(email('bounce.jansen@example.nl', { messageId: 7 }));

  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.equal(result.kind, 'permanent');
  assert.equal(result.code, 'SMTP_550');
  assert.match(result.reason, /RCPT TO: 550 5\.1\.1 .*User unknown/, 'the relay\'s own words are kept for the operator');
  assert.equal(rig.server.inbox('bounce.jansen@example.nl').length, 0);
  assert.equal(rig.channel.health().state, 'up', 'a refused recipient says nothing bad about the relay');

  // The same connection pool goes on delivering the next message.
  const next = await rig.channel.submit(email('piet@example.nl', { messageId: 8 }));
  assert.equal(next.ok, true);
  assert.equal(rig.server.inbox('piet@example.nl').length, 1);
});

test('a refused recipient is logged masked: the log line has the code, not the address', async (t) => {
  const rig = await startEmailRig();
  t.after(() => rig.close());
  await rig.channel.submit(email('bounce.jansen@example.nl', { messageId: 9 }));
  const line = rig.logs.find((l) => l.includes('SMTP_550'));
  assert.ok(line, 'the bounce is logged');
  assert.ok(!rig.logs.some((l) => l.includes('bounce.jansen')), 'no full address at info level');
  assert.match(line, /"to":"b\*\*\*@e\*\*\*\.nl"/);
});

test('a recipient address nodemailer cannot use is refused before any wire, permanently', async (t) => {
  const rig = await startEmailRig();
  t.after(() => rig.close());
  const result = await rig.channel.submit(email('jan at example dot nl'));
  assert.deepEqual(result.ok ? result : { kind: result.kind, code: result.code }, { kind: 'permanent', code: 'SMTP_BAD_ADDRESS' });
  assert.equal(rig.server.received, 0);
});
