import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../src/lib/clock.ts';
import { addDnc, callsOf, contact, events, rig, seedCampaign } from './dialer-fixture.ts';

test('a debtor outside their calling window is not dialled but moved to the window opening, with the reason', async () => {
  // 19:30 UTC on Monday: 20:30 in Amsterdam (closed), 14:30 in New York (open for a loosened US window).
  const r = rig({ clock: new FakeClock('2026-11-23T19:30:00Z') });
  const { contactIds } = seedCampaign(r.db, {
    debtors: [{ phones: ['+31612345678'] }, { phones: ['+12125550100'], timeZone: 'America/New_York' }],
    settings: { callingWindows: [{ days: [1, 2, 3, 4, 5], start: '08:00', end: '21:00' }], allowLooserThanLegal: true },
  });
  await r.dialer.tick();
  assert.deepEqual(r.tel.calls.map((c) => c.number), ['+12125550100'], 'only the New York debtor is inside their window');
  const nl = contact(r.db, contactIds[0]!);
  assert.equal(nl.status, 'pending');
  assert.equal(nl.next_attempt_at, '2026-11-24T07:00:00.000Z', 'Tuesday 08:00 in Amsterdam');
  const [deferred] = events(r.db, 'contact_deferred');
  assert.equal(JSON.parse(deferred!.data).reason, 'legal_hours', 'the window says 21:00, Dutch law stops at 20:00');

  // The deferred contact is not read again before its time.
  await r.clock.advance(60_000);
  await r.dialer.tick();
  assert.equal(events(r.db, 'contact_deferred').length, 1);
});

test('Sundays and Dutch public holidays are skipped', async () => {
  // Friday 25 Dec 2026 (Christmas), Saturday 26 (second Christmas day), Sunday 27 → Monday 28 Dec 08:00.
  const r = rig({ clock: new FakeClock('2026-12-25T09:00:00Z') });
  const { contactIds } = seedCampaign(r.db, { debtors: [{ phones: ['+31612345678'] }] });
  await r.dialer.tick();
  assert.equal(r.tel.calls.length, 0);
  assert.equal(contact(r.db, contactIds[0]!).next_attempt_at, '2026-12-28T07:00:00.000Z');
});

test('a number on the do-not-call list is never dialled; the next phone is used, or the contact is closed as dnc', async () => {
  const r = rig();
  const { contactIds } = seedCampaign(r.db, { debtors: [{ phones: ['+31611111111', '+31622222222'] }, { phones: ['+31633333333'] }] });
  addDnc(r.db, '+31611111111');
  addDnc(r.db, '+31633333333');
  await r.dialer.tick();
  assert.deepEqual(r.tel.calls.map((c) => c.number), ['+31622222222']);
  assert.equal(contact(r.db, contactIds[1]!).status, 'dnc');
  assert.equal(callsOf(r.db, contactIds[1]!).length, 0);
});

test('invalid phones are skipped; a debtor without a valid phone is closed as invalid', async () => {
  const r = rig();
  const { contactIds } = seedCampaign(r.db, {
    debtors: [{ phones: ['+31611111111', '+31622222222'], statuses: ['invalid', 'unknown'] }, { phones: ['+31633333333'], statuses: ['dead'] }],
  });
  await r.dialer.tick();
  assert.deepEqual(r.tel.calls.map((c) => c.number), ['+31622222222']);
  assert.equal(contact(r.db, contactIds[1]!).status, 'invalid');
});

test('a phone that answered before is preferred over one never reached', async () => {
  const r = rig();
  seedCampaign(r.db, { debtors: [{ phones: ['+31611111111', '+31622222222'], statuses: ['unknown', 'active'] }] });
  await r.dialer.tick();
  assert.deepEqual(r.tel.calls.map((c) => c.number), ['+31622222222']);
});

test('a contact at its lifetime attempt cap is closed as exhausted without a call', async () => {
  const r = rig();
  const { contactIds } = seedCampaign(r.db, { debtors: [{ phones: ['+31611111111'] }], settings: { maxAttemptsTotal: 3 } });
  r.db.prepare(`UPDATE contacts SET attempts = 3 WHERE id = ?`).run(contactIds[0]);
  await r.dialer.tick();
  assert.equal(r.tel.calls.length, 0);
  assert.equal(contact(r.db, contactIds[0]!).status, 'exhausted');
});
