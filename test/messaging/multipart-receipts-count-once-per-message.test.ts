import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../src/lib/clock.ts';
import { ReceiptBook } from '../../src/messaging/sms/receipts.ts';
import type { DeliveryReceipt, ReceiptState } from '../../src/messaging/types.ts';

function book() {
  const clock = new FakeClock();
  const out: DeliveryReceipt[] = [];
  const b = new ReceiptBook({ clock, holdMs: 5000, multipartWaitMs: 60_000, trackMs: 3_600_000, dedupeSize: 100, maxTracked: 1000, emit: (r) => out.push(r) });
  const r = (providerId: string, state: ReceiptState, errorCode = '000'): DeliveryReceipt => ({ channel: 'sms', providerId, state, errorCode });
  return { clock, out, b, r };
}

test('a three-part message: one DELIVRD receipt under the first part id, when all three parts report', () => {
  const { out, b, r } = book();
  const t = b.track(3);
  ['A1', 'A2', 'A3'].forEach((id, i) => b.accepted(t, i, id));
  b.receive(r('A2', 'DELIVRD'));
  b.receive(r('A1', 'DELIVRD'));
  assert.equal(out.length, 0);
  b.receive(r('A3', 'DELIVRD'));
  assert.deepEqual(out, [r('A1', 'DELIVRD')]);
  b.receive(r('A3', 'DELIVRD'));
  assert.equal(out.length, 1);
});

test('one part undeliverable: the message is UNDELIV with that part\'s error', () => {
  const { out, b, r } = book();
  const t = b.track(2);
  b.accepted(t, 0, 'B1');
  b.accepted(t, 1, 'B2');
  b.receive(r('B1', 'DELIVRD'));
  b.receive(r('B2', 'UNDELIV', '001'));
  assert.deepEqual(out, [r('B1', 'UNDELIV', '001')]);
});

test('a part that never reports: what is known is emitted after the wait', async () => {
  const { clock, out, b, r } = book();
  const t = b.track(2);
  b.accepted(t, 0, 'C1');
  b.accepted(t, 1, 'C2');
  b.receive(r('C1', 'DELIVRD'));
  await clock.advance(59_999);
  assert.equal(out.length, 0);
  await clock.advance(1);
  assert.deepEqual(out, [r('C1', 'DELIVRD')]);
});

test('an unknown id is held, applied when its submit_sm_resp arrives, or emitted as is after the hold', async () => {
  const { clock, out, b, r } = book();
  b.receive(r('D1', 'DELIVRD'));
  b.receive(r('D1', 'DELIVRD'));
  const t = b.track(1);
  b.accepted(t, 0, 'D1');
  assert.deepEqual(out, [r('D1', 'DELIVRD')]);
  b.receive(r('OLD', 'EXPIRED'));
  await clock.advance(4999);
  assert.equal(out.length, 1);
  await clock.advance(1);
  assert.deepEqual(out.at(-1), r('OLD', 'EXPIRED'));
  assert.equal(b.duplicates, 1);
});
