/**
 * A number is marked invalid only when both channels found it dead: calls (Q.850 causes
 * that say the number does not exist) and SMS (the SMSC could not deliver), in either order.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryStore, seedDebtor } from '../helpers/messages.ts';

const AT = '2026-11-23T10:00:00.000Z';

test('dead for calls, then undeliverable by SMS: invalid', () => {
  const store = memoryStore();
  const d = seedDebtor(store);
  const phone = store.debtors.phonesOf(d.debtorId)[0]!;
  store.debtors.setPhoneStatus(phone.id, 'dead', AT);
  assert.equal(store.debtors.phonesOf(d.debtorId)[0]!.status, 'dead', 'one channel is not enough');
  store.replies.smsUndeliverable(d.mobile, AT);
  assert.equal(store.debtors.phonesOf(d.debtorId)[0]!.status, 'invalid');
});

test('undeliverable by SMS, then dead for calls: invalid; SMS alone leaves the number callable', () => {
  const store = memoryStore();
  const d = seedDebtor(store);
  const phone = store.debtors.phonesOf(d.debtorId)[0]!;
  store.replies.smsUndeliverable(d.mobile, AT);
  assert.equal(store.debtors.phonesOf(d.debtorId)[0]!.status, 'unknown', 'a phone may ring where texts fail');
  store.debtors.setPhoneStatus(phone.id, 'dead', AT);
  assert.equal(store.debtors.phonesOf(d.debtorId)[0]!.status, 'invalid');
});
