import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SystemClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { createEmailChannel } from '../../src/messaging/email/smtp-channel.ts';
import { startSimMailServer } from '../../src/sim/mail-server.ts';
import { EMAIL_CONFIG, email, startEmailRig } from '../helpers/email-rig.ts';

const channelTo = (port: number) => createEmailChannel(EMAIL_CONFIG, { clock: new SystemClock(), log: silentLogger(), target: { host: '127.0.0.1', port } });

test('a connection cut after the whole message was sent, before the answer, is uncertain: the relay may have it', async (t) => {
  const rig = await startEmailRig();
  t.after(() => rig.close());

  const result = await rig.channel.submit(email('dropdata.jansen@example.nl', { messageId: 11 }));

  assert.equal(result.ok ? 'ok' : `${result.kind} ${result.code}`, 'uncertain SMTP_NO_ANSWER_AFTER_DATA');
  const box = rig.server.inbox('dropdata.jansen@example.nl');
  assert.equal(box.length, 1, 'the relay did get the message: resending it blindly would send it twice');
  assert.equal(box[0]!.droppedAfterData, true);
  assert.equal(rig.channel.health().state, 'down');
  assert.ok(rig.healthEvents.some((h) => h.state === 'down'), 'the drop is reported as a health event');
});

test('a connection cut while the message was still being sent is a retry: without the final dot nothing was taken', async (t) => {
  const rig = await startEmailRig();
  t.after(() => rig.close());
  // Large enough that the relay cuts in while the client is still writing it.
  const big = 'Betaalverzoek regel.\n'.repeat(400_000);

  const result = await rig.channel.submit(email('dropmid.jansen@example.nl', { text: big, html: '' }));

  assert.equal(result.ok ? 'ok' : result.kind, 'retry', JSON.stringify(result));
  assert.equal(rig.server.inbox('dropmid.jansen@example.nl').length, 0);
});

test('a relay that goes away gives retry and health down; when it is back, mail flows and health is up again', async (t) => {
  const rig = await startEmailRig();
  const port = rig.server.port;
  let second: Awaited<ReturnType<typeof startSimMailServer>> | undefined;
  t.after(async () => {
    await rig.channel.stop();
    await second?.close();
  });
  assert.equal((await rig.channel.submit(email('jan@example.nl'))).ok, true);
  assert.equal(rig.channel.health().state, 'up');

  await rig.server.close();
  const result = await rig.channel.submit(email('jan@example.nl', { messageId: 2 }));

  assert.equal(result.ok, false);
  if (!result.ok) {
    assert.equal(result.kind, 'retry');
    assert.match(result.code, /^SMTP_E/);
  }
  const health = rig.channel.health();
  assert.equal(health.state, 'down');
  assert.match(health.links[0]!.detail ?? '', /ECONNREFUSED/);

  second = await startSimMailServer({ port });
  const again = await rig.channel.submit(email('jan@example.nl', { messageId: 3 }));
  assert.equal(again.ok, true, JSON.stringify(again));
  assert.equal(rig.channel.health().state, 'up');
  assert.equal(second.inbox('jan@example.nl').length, 1);
});

test('a relay that is down at start does not stop the channel from starting', async (t) => {
  const server = await startSimMailServer();
  const { port } = server;
  await server.close();
  const channel = channelTo(port);
  t.after(() => channel.stop());
  await channel.start();
  assert.equal(channel.health().state, 'down');
  const result = await channel.submit(email('jan@example.nl'));
  assert.equal(result.ok ? 'ok' : result.kind, 'retry');
});

test('after stop() a submit is a retry (the worker offers it again after restart); before start() it is misuse', async () => {
  const rig = await startEmailRig();
  await rig.close();
  const result = await rig.channel.submit(email('jan@example.nl'));
  assert.equal(result.ok ? 'ok' : `${result.kind} ${result.code}`, 'retry EMAIL_STOPPED');
  assert.equal(rig.channel.health().links[0]!.state, 'stopped');

  const fresh = channelTo(1);
  await assert.rejects(fresh.submit(email('jan@example.nl')), /before start/);
});
