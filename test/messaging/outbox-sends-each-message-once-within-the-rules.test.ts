/**
 * The outbox worker against a channel double at the seam, on a fake clock: what goes out,
 * when, and what a crash, a throttle, a refusal or a late receipt leave behind.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock, isoUtc } from '../../src/lib/clock.ts';
import { createLogger } from '../../src/lib/log.ts';
import { OutboxWorker } from '../../src/messaging/outbox.ts';
import type { Store } from '../../src/store/repositories.ts';
import { memoryStore, ScriptedSmsChannel, seedDebtor, type SeededDebtor } from '../helpers/messages.ts';

const log = createLogger({ level: 'silent' });
const SETTINGS = { smsSender: 'number:+3197010587400', emailFrom: 'a@b.nl', maxPer7Days: 3, maxInFlight: 10, maxAttempts: 3, pollMs: 1000 };

function rig(start = '2026-11-23T09:00:00Z' /* a Monday, 10:00 in Amsterdam */) {
  const clock = new FakeClock(start);
  const store = memoryStore();
  const sms = new ScriptedSmsChannel();
  const worker = new OutboxWorker({ store, clock, log, channels: { sms }, settings: SETTINGS, retryMinMs: 1000, retryMaxMs: 1000, random: () => 0.5 });
  const d = seedDebtor(store);
  return { clock, store, sms, worker, d };
}

function queue(store: Store, d: SeededDebtor, clock: FakeClock, body = 'Betaal via https://x/p/abc') {
  return store.messages.queue({ channel: 'sms', source: 'api', debtorId: d.debtorId, to: d.mobile, sender: '', language: 'nl', body }, isoUtc(clock.now()));
}

async function settle(worker: OutboxWorker) {
  await worker.tick();
  for (let i = 0; i < 20 && worker.pending; i++) await new Promise((r) => setImmediate(r));
}

test('a queued SMS is submitted once with the configured sender and is delivered when its receipt comes', async () => {
  const { clock, store, sms, worker, d } = rig();
  const m = queue(store, d, clock);
  worker.start();
  await settle(worker);
  await settle(worker);
  assert.equal(sms.sent.length, 1, 'submitted exactly once');
  assert.deepEqual(sms.sent[0]!.from, { kind: 'number', value: '+3197010587400' });
  assert.equal(store.messages.get(m.id)!.status, 'submitted');
  sms.emit('receipt', { channel: 'sms', providerId: 'p1', state: 'DELIVRD', errorCode: '000' });
  sms.emit('receipt', { channel: 'sms', providerId: 'p1', state: 'DELIVRD', errorCode: '000' });
  assert.equal(store.messages.get(m.id)!.status, 'delivered');
  const events = store.messages.list({ debtorId: d.debtorId });
  assert.equal(events.length, 1);
  await worker.stop();
});

test('on a Sunday the message waits for Monday morning in the debtor\'s time zone', async () => {
  const { clock, store, sms, worker, d } = rig('2026-11-29T12:00:00Z'); // Sunday
  const m = queue(store, d, clock);
  worker.start();
  await settle(worker);
  assert.equal(sms.sent.length, 0, 'nothing goes out on a Sunday');
  const row = store.messages.get(m.id)!;
  assert.equal(row.status, 'queued');
  assert.equal(row.errorCode, 'OUTSIDE_WINDOW');
  assert.equal(row.nextAttemptAt, '2026-11-30T07:00:00.000Z', 'Monday 08:00 Amsterdam (the default window start)');
  await worker.stop();
});

test('a fourth message in 7 days waits until the first of the three is a week old', async () => {
  const { clock, store, sms, worker, d } = rig();
  worker.start();
  for (let i = 0; i < 3; i++) {
    queue(store, d, clock);
    await settle(worker);
    await clock.advance(3600_000);
  }
  assert.equal(sms.sent.length, 3);
  const fourth = queue(store, d, clock);
  await settle(worker);
  assert.equal(sms.sent.length, 3, 'the cap holds the fourth');
  assert.equal(store.messages.get(fourth.id)!.errorCode, 'CAP_REACHED');
  assert.equal(store.messages.get(fourth.id)!.nextAttemptAt, '2026-11-30T09:00:00.000Z', 'a week after the first went out');
  await worker.stop();
});

test('an opted-out number gets nothing: the message is cancelled, not sent', async () => {
  const { clock, store, sms, worker, d } = rig();
  store.replies.optOut('sms', d.mobile, 'reply', isoUtc(clock.now()));
  const m = queue(store, d, clock);
  worker.start();
  await settle(worker);
  assert.equal(sms.sent.length, 0);
  assert.equal(store.messages.get(m.id)!.status, 'cancelled');
  assert.equal(store.messages.get(m.id)!.errorCode, 'OPTED_OUT');
  await worker.stop();
});

test('a message the previous process was submitting when it died becomes uncertain and is not sent again', async () => {
  const { clock, store, sms, worker, d } = rig();
  const m = queue(store, d, clock);
  assert.ok(store.messages.take(m.id, isoUtc(clock.now())), 'the dead process had taken it');
  const { uncertain } = worker.start();
  await settle(worker);
  assert.equal(uncertain, 1);
  assert.equal(sms.sent.length, 0, 'never resent blindly');
  assert.equal(store.messages.get(m.id)!.status, 'uncertain');
  await worker.stop();
});

test('throttled: tried again after a pause; a permanent refusal fails with the code and marks the number', async () => {
  const { clock, store, sms, worker, d } = rig();
  sms.script = [{ ok: false, kind: 'retry', code: 'ESME_RTHROTTLED', reason: 'throttled', retryAfterMs: 2000 }];
  const m = queue(store, d, clock);
  worker.start();
  await settle(worker);
  assert.equal(store.messages.get(m.id)!.status, 'queued');
  await clock.advance(2000);
  await settle(worker);
  assert.equal(sms.sent.length, 2);
  assert.equal(store.messages.get(m.id)!.status, 'submitted');

  sms.script = [{ ok: false, kind: 'permanent', code: 'ESME_RINVDSTADR', reason: 'invalid destination' }];
  const bad = queue(store, d, clock);
  await settle(worker);
  assert.equal(store.messages.get(bad.id)!.status, 'failed');
  assert.equal(store.messages.get(bad.id)!.errorCode, 'ESME_RINVDSTADR');
  await worker.stop();
});

test('a receipt that arrives before the submit was recorded is applied once the id is known', async () => {
  const { clock, store, sms, worker, d } = rig();
  sms.script = [
    async () => {
      sms.emit('receipt', { channel: 'sms', providerId: 'early-1', state: 'DELIVRD', errorCode: '000' });
      return { ok: true, providerId: 'early-1', parts: 2 };
    },
  ];
  const m = queue(store, d, clock);
  worker.start();
  await settle(worker);
  await settle(worker);
  const row = store.messages.get(m.id)!;
  assert.equal(row.status, 'delivered');
  assert.equal(row.parts, 2);
  await worker.stop();
});

test('a connection lost mid-submit leaves the message uncertain for an operator', async () => {
  const { clock, store, sms, worker, d } = rig();
  sms.script = [{ ok: false, kind: 'uncertain', code: 'CONNECTION_LOST', reason: 'bind dropped with the PDU in flight' }];
  const m = queue(store, d, clock);
  worker.start();
  await settle(worker);
  await clock.advance(60_000);
  await settle(worker);
  assert.equal(sms.sent.length, 1);
  assert.equal(store.messages.get(m.id)!.status, 'uncertain');
  await worker.stop();
});
