import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SETTINGS } from '../../src/campaigns/settings.ts';
import { decideDue, type AttemptRecord, type ContactState, type DueContext } from '../../src/dialer/policy/attempts.ts';
import { callsOf, contact, events, rig, seedCampaign, summary } from './dialer-fixture.ts';

const at = (iso: string) => new Date(iso).getTime();
const ctx: DueContext = { timeZone: 'Europe/Amsterdam', country: 'NL', dnc: false, callInProgress: false, agentReserved: false };
const fresh: ContactState = { status: 'pending', attempts: 0, nextAttemptAtMs: null };
const S = DEFAULT_SETTINGS;
const attempt = (when: string, outcome: AttemptRecord['outcome'], conversation = false): AttemptRecord => ({ atMs: at(when), outcome, conversation });
const MONDAY_11 = at('2026-11-23T10:00:00Z'); // Monday 11:00 in Amsterdam

test('policy: a call about another claim a moment ago holds this claim for that outcome’s retry delay', () => {
  const other = [attempt('2026-11-23T09:55:00Z', 'no_answer')];
  assert.deepEqual(decideDue(fresh, [], MONDAY_11, S, { ...ctx, otherClaims: other }), { due: false, reason: 'debtor_recent_call', nextAt: at('2026-11-23T11:55:00Z') });
  assert.deepEqual(decideDue(fresh, [], MONDAY_11, S, ctx), { due: true }, 'without the other claim’s call: due now');
});

test('policy: after a conversation about another claim, not again that day: the next calling morning', () => {
  const other = [attempt('2026-11-23T09:30:00Z', 'answered', true)];
  assert.deepEqual(decideDue(fresh, [], MONDAY_11, S, { ...ctx, otherClaims: other }), { due: false, reason: 'debtor_spoken_today', nextAt: at('2026-11-24T07:00:00Z') });
});

test('policy: the day cap counts the person’s calls across claims', () => {
  const settings = { ...S, maxAttemptsPerDay: 2 };
  const mine = [attempt('2026-11-23T07:10:00Z', 'busy')];
  const other = [attempt('2026-11-23T08:00:00Z', 'busy')];
  assert.deepEqual(decideDue(fresh, mine, MONDAY_11, settings, { ...ctx, otherClaims: other }), { due: false, reason: 'debtor_day_cap', nextAt: at('2026-11-24T07:00:00Z') });
  assert.deepEqual(decideDue(fresh, mine, MONDAY_11, settings, ctx), { due: true }, 'one call today on this claim alone: still due');
});

test('policy: an abandoned call about another claim keeps the number quiet for 72 h, unless an agent is reserved', () => {
  const other = [attempt('2026-11-23T09:00:00Z', 'abandoned')];
  const r = decideDue(fresh, [], MONDAY_11, S, { ...ctx, otherClaims: other });
  assert.equal(r.due, false);
  assert.ok(!r.due && r.nextAt! >= at('2026-11-26T09:00:00Z'), 'not within 72 h');
  const reserved = decideDue(fresh, [], at('2026-11-23T11:00:00Z'), S, { ...ctx, agentReserved: true, otherClaims: other });
  assert.equal(reserved.due, true);
});

test('policy: yesterday’s calls about other claims do not hold today', () => {
  const other = [attempt('2026-11-22T15:00:00Z', 'answered', true), attempt('2026-11-22T16:00:00Z', 'busy')];
  assert.deepEqual(decideDue(fresh, [], MONDAY_11, S, { ...ctx, otherClaims: other }), { due: true });
});

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
