import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import { PaymentService } from '../../src/payments/service.ts';
import { FakeClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { blankEntry, type PaymentEntry } from '../../src/payments/types.ts';
import { AT, claimState, seedClaims } from '../helpers/payments.ts';

function rig() {
  const store = openSqliteStore(':memory:');
  const seeded = seedClaims(store);
  const service = new PaymentService({ store, clock: new FakeClock(Date.parse(AT)), log: silentLogger() });
  const pay = (id: string, cents: number, o: Partial<PaymentEntry> = {}) =>
    service.apply({ ...blankEntry('csv', 'line 2'), externalId: id, amountCents: cents, bookedOn: '2026-12-01', ...o }, null, AT);
  return { store, seeded, service, pay };
}

test('a partial payment lowers what is open and stops nothing; the rest pays the claim, closes its contact and cancels its queued SMS', () => {
  const { store, seeded, pay } = rig();
  const claimId = seeded.claims.get('F2026-0042')!;
  const first = pay('a', 4_000, { description: 'factuur F2026-0042 deel 1' });
  assert.equal(first.kind, 'matched');
  assert.deepEqual(claimState(store, claimId), { status: 'open', amountCents: 10_000, paidCents: 4_000, contact: { status: 'pending', result: null }, messages: ['queued'] });
  const rest = pay('b', 6_000, { description: 'restant F2026-0042' });
  assert.equal(rest.kind, 'matched');
  assert.deepEqual(claimState(store, claimId), { status: 'paid', amountCents: 10_000, paidCents: 10_000, contact: { status: 'done', result: 'paid' }, messages: ['cancelled'] });
  // The dialer asks for due contacts: the paid claim's is not among them.
  const due = store.dialer.dueContacts(seeded.campaignId, '2026-12-02T09:00:00.000Z', 100).map((c) => c.claimId);
  assert.ok(!due.includes(claimId));
  assert.ok(due.includes(seeded.claims.get('INV-7001')!));
});

test('paying more than the claim notes the overpayment on the payment', () => {
  const { store, seeded, pay } = rig();
  const r = pay('over', 12_500, { invoiceRef: 'F2026-0042' });
  assert.equal(r.kind, 'matched');
  assert.equal(r.kind === 'matched' && r.payment.overpaidCents, 2_500);
  assert.equal(claimState(store, seeded.claims.get('F2026-0042')!).status, 'paid');
});

test('a debtor with two claims: the debtor-number rule pays the oldest due first; other queued messages of the debtor go only when nothing is open', () => {
  const { store, seeded, pay } = rig();
  const older = seeded.claims.get('A-2')!;
  const newer = seeded.claims.get('A-1')!;
  const r = pay('d1', 50_000, { debtorRef: 'D-100' });
  assert.equal(r.kind === 'matched' && r.payment.claimId, older);
  assert.equal(r.kind === 'matched' && r.payment.matchedBy, 'debtor_ref');
  assert.equal(claimState(store, older).status, 'paid');
  assert.deepEqual(claimState(store, newer).messages, ['queued']);
  pay('d2', 100_000, { debtorRef: 'D-100' });
  assert.deepEqual(claimState(store, newer), { status: 'paid', amountCents: 100_000, paidCents: 100_000, contact: { status: 'done', result: 'paid' }, messages: ['cancelled'] });
});

test('a call on the line when the claim is paid is not cut; when it ends without a result its contact closes as paid instead of waiting for a retry', () => {
  const { store, seeded, pay } = rig();
  const claimId = seeded.claims.get('INV-7001')!;
  const [contact] = store.dialer.dueContacts(seeded.campaignId, AT, 100).filter((c) => c.claimId === claimId);
  assert.ok(store.contacts.take(contact!.id, AT));
  pay('x', 20_000, { invoiceRef: 'INV-7001' });
  assert.equal(claimState(store, claimId).contact.status, 'in_progress');
  store.contacts.endAttempt(contact!.id, AT, { status: 'pending', nextAttemptAt: '2026-12-01T12:00:00.000Z', lastOutcome: 'no_answer', result: null, conversation: false, abandoned: false, messageHeard: false });
  assert.deepEqual(claimState(store, claimId).contact, { status: 'done', result: 'paid' });
});
