import { test } from 'node:test';
import assert from 'node:assert/strict';
import { callsOf, contact, events, rig, seedCampaign, summary } from './dialer-fixture.ts';

// The policy rules behind this are tested in attempts-due-contact-rules.test.ts ("other claims").
const at = (iso: string) => new Date(iso).getTime();

test('dialer: a debtor with three invoices hears about one of them today, and is not rung three times in a row', async () => {
  const r = rig();
  const first = seedCampaign(r.db, { debtors: [{ phones: ['+31611111111'] }] });
  const debtorId = first.debtorIds[0]!;
  // Two more invoices of the same person, in the same campaign.
  const more = seedCampaign(r.db, { debtors: [{ phones: [], debtorId }, { phones: [], debtorId }], name: 'more' });
  r.db.prepare(`UPDATE contacts SET campaign_id = ? WHERE id IN (${more.contactIds.join(',')})`).run(first.campaignId);
  r.db.prepare(`UPDATE campaigns SET state = 'draft' WHERE id = ?`).run(more.campaignId);
  const contacts = [...first.contactIds, ...more.contactIds];

  await r.dialer.tick();
  assert.equal(r.tel.calls.length, 1, 'one call to the person, not one per invoice');
  const call = r.tel.calls[0]!;
  call.enterStasis('HUMAN');
  await r.clock.advance(0);
  r.dialer.onCallFinished(summary(call.id, 'no_choice', { identityConfirmed: true, messageHeard: true }));
  call.end({ cause: 16 });
  await r.clock.advance(0);

  // The rest of the day: ticks every 5 minutes, no second call to this person.
  for (let i = 0; i < 12 * 8; i++) {
    await r.clock.advance(5 * 60_000);
    await r.dialer.tick();
  }
  assert.equal(r.tel.calls.length, 1, 'no call about the other invoices the same day');
  const called = contacts.filter((id) => callsOf(r.db, id).length > 0);
  assert.equal(called.length, 1);
  for (const id of contacts.filter((id) => !called.includes(id))) {
    const c = contact(r.db, id);
    assert.equal(c.status, 'pending', 'still to be called');
    assert.ok(c.next_attempt_at! >= '2026-11-24T07:00:00.000Z', `not before the next morning (${c.next_attempt_at})`);
  }
  const reasons = new Set(events(r.db, 'contact_deferred').map((e) => (JSON.parse(e.data) as { reason: string }).reason));
  assert.ok(reasons.has('debtor_spoken_today'), `deferred because we spoke to them today (${[...reasons].join(', ')})`);

  // The next morning the second invoice is called, and only it.
  await r.clock.advance(at('2026-11-24T07:00:00Z') - r.clock.now());
  await r.dialer.tick();
  assert.equal(r.tel.calls.length, 2);
});
