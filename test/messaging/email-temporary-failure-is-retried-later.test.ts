import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { email, startEmailRig } from '../helpers/email-rig.ts';

test('a 451 from the relay means retry later, with the SMTP code, and nothing is delivered', async (t) => {
  const rig = await startEmailRig();
  t.after(() => rig.close());

  const result = await rig.channel.submit(email('tempfail.devries@example.nl'));

  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.equal(result.kind, 'retry');
  assert.equal(result.code, 'SMTP_451');
  assert.ok((result.retryAfterMs ?? 0) > 0, 'the worker is told to wait before offering it again');
  assert.equal(rig.server.inbox('tempfail.devries@example.nl').length, 0);
  assert.equal(rig.channel.health().state, 'up');
});

test('a relay that refuses our login is retried (not the message\'s fault) and shows health down', async (t) => {
  const rig = await startEmailRig({ server: { auth: { user: 'bereik', password: 'right' } }, config: { user: 'bereik', password: 'wrong' } });
  t.after(() => rig.close());
  assert.equal(rig.channel.health().state, 'down', 'verify() at start already saw the refusal');
  const result = await rig.channel.submit(email('jan@example.nl'));
  assert.equal(result.ok ? 'ok' : result.kind, 'retry');
  assert.equal(rig.server.inbox('jan@example.nl').length, 0);
  assert.ok(!rig.logs.some((l) => l.includes('wrong')), 'the password is never logged');
});

test('with the right password from a file the message goes through', async (t) => {
  const file = join(mkdtempSync(join(tmpdir(), 'bereik-email-')), 'smtp-password');
  writeFileSync(file, 'right\n');
  const rig = await startEmailRig({ server: { auth: { user: 'bereik', password: 'right' } }, config: { user: 'bereik', passwordFile: file } });
  t.after(() => rig.close());
  assert.equal(rig.channel.health().state, 'up');
  assert.equal((await rig.channel.submit(email('jan@example.nl'))).ok, true);
});
