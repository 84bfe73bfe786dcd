import { test } from 'node:test';
import assert from 'node:assert/strict';
import { callsOf, contact, rig, seedCampaign, summary } from './dialer-fixture.ts';

const NOW = Date.parse('2026-11-23T09:00:00Z');
const at = (minutes: number) => new Date(NOW + minutes * 60_000).toISOString();

async function oneCall(settings = {}, phones = ['+31611111111']) {
  const r = rig();
  const { contactIds } = seedCampaign(r.db, { debtors: [{ phones }], settings });
  await r.dialer.tick();
  const call = r.tel.calls[0]!;
  return { r, call, contactId: contactIds[0]! };
}

test('busy: the call is stored as busy and the contact comes back after the busy delay', async () => {
  const { r, call, contactId } = await oneCall({ retryDelayMinutes: { busy: 30 } });
  call.end({ cause: 17, causeText: 'User busy', dialStatus: 'BUSY' });
  await r.clock.advance(0);
  assert.deepEqual(callsOf(r.db, contactId).map((c) => [c.state, c.disposition]), [['ended', 'busy']]);
  const c = contact(r.db, contactId);
  assert.equal(c.status, 'pending');
  assert.equal(c.attempts, 1);
  assert.equal(c.next_attempt_at, at(30));

  await r.clock.advance(29 * 60_000);
  await r.dialer.tick();
  assert.equal(r.tel.calls.length, 1, 'not before the retry delay');
  await r.clock.advance(60_000);
  await r.dialer.tick();
  assert.equal(r.tel.calls.length, 2, 'dialled again after 30 minutes');
});

test('no answer on the last allowed attempt closes the contact as exhausted', async () => {
  const { r, call, contactId } = await oneCall({ maxAttemptsTotal: 1 });
  call.end({ cause: 19, causeText: 'User alerting, no answer' });
  await r.clock.advance(0);
  assert.equal(callsOf(r.db, contactId)[0]!.disposition, 'no_answer');
  assert.equal(contact(r.db, contactId).status, 'exhausted');
});

test('an unallocated number (cause 1) marks the phone invalid; the debtor is tried on the next phone', async () => {
  const { r, call, contactId } = await oneCall({}, ['+31611111111', '+31622222222']);
  call.end({ cause: 1, causeText: 'Unallocated (unassigned) number' });
  await r.clock.advance(0);
  const phone = r.db.prepare(`SELECT status FROM phones WHERE e164 = '+31611111111'`).get() as { status: string };
  assert.equal(phone.status, 'invalid');
  assert.equal(contact(r.db, contactId).status, 'pending');
  await r.clock.advance(24 * 3600_000);
  await r.dialer.tick();
  assert.equal(r.tel.calls[1]?.number, '+31622222222');
});

test('an unallocated number that was the only phone closes the contact as invalid', async () => {
  const { r, call, contactId } = await oneCall();
  call.end({ cause: 1 });
  await r.clock.advance(0);
  assert.equal(contact(r.db, contactId).status, 'invalid');
});

test('an originate Asterisk refuses is a failed attempt, rescheduled, not lost', async () => {
  const r = rig();
  const { contactIds } = seedCampaign(r.db, { debtors: [{ phones: ['+31611111111'] }], settings: { retryDelayMinutes: { failed: 60 } } });
  r.tel.refuse.add('+31611111111');
  const report = await r.dialer.tick();
  assert.equal(report.failed, 1);
  assert.deepEqual(callsOf(r.db, contactIds[0]!).map((c) => [c.state, c.disposition, c.result]), [['ended', 'failed', 'originate_failed']]);
  const c = contact(r.db, contactIds[0]!);
  assert.deepEqual([c.status, c.attempts, c.next_attempt_at], ['pending', 1, at(60)]);
});

test('a debtor who asks for a pay link closes the contact as done with that result', async () => {
  const { r, call, contactId } = await oneCall();
  call.enterStasis('HUMAN');
  await r.clock.advance(0);
  assert.equal(r.flows.length, 1, 'the answered call went to the flow');
  assert.equal(r.flows[0]!.ctx.contactId, contactId);
  assert.equal(r.flows[0]!.ctx.amd.status, 'HUMAN');
  r.dialer.onCallFinished(summary(call.id, 'paylink_requested', { identityConfirmed: true, messageHeard: true, dtmfPath: '11' }));
  call.end({ cause: 16 });
  await r.clock.advance(0);
  const c = contact(r.db, contactId);
  assert.deepEqual([c.status, c.result], ['done', 'paylink_requested']);
  const row = r.db.prepare(`SELECT disposition, result, dtmf_path, identity_confirmed, answered_at FROM calls WHERE id = ?`).get(call.id) as Record<string, unknown>;
  assert.deepEqual({ ...row, answered_at: typeof row.answered_at }, { disposition: 'answered', result: 'paylink_requested', dtmf_path: '11', identity_confirmed: 1, answered_at: 'string' });
  assert.equal(r.dialer.stats(1)?.paylinks, 1);
});

test('someone who does not confirm the identity is tried again after the identity delay', async () => {
  const { r, call, contactId } = await oneCall({ retryDelayMinutes: { identity_not_confirmed: 24 * 60 } });
  call.enterStasis('HUMAN');
  await r.clock.advance(0);
  call.end({ cause: 16 });
  r.dialer.onCallFinished(summary(call.id, 'identity_not_confirmed', { dtmfPath: '2' }));
  await r.clock.advance(0);
  const c = contact(r.db, contactId);
  assert.deepEqual([c.status, c.next_attempt_at], ['pending', at(24 * 60)]);
});

test('a confirmed debtor who heard the message and chose nothing is left alone for the quiet days', async () => {
  const { r, call, contactId } = await oneCall({ quietDaysAfterConversation: 7 });
  call.enterStasis('HUMAN');
  await r.clock.advance(0);
  r.dialer.onCallFinished(summary(call.id, 'no_choice', { identityConfirmed: true, messageHeard: true }));
  call.end({ cause: 16 });
  await r.clock.advance(0);
  const c = contact(r.db, contactId);
  assert.equal(c.status, 'pending');
  assert.ok(c.next_attempt_at! >= at(7 * 24 * 60), `not before 7 days (${c.next_attempt_at})`);
});

test('an answering machine is stored as machine and retried after the machine delay', async () => {
  const { r, call, contactId } = await oneCall({ retryDelayMinutes: { machine: 240 } });
  call.enterStasis('MACHINE');
  await r.clock.advance(0);
  call.end({ cause: 16 });
  r.dialer.onCallFinished(summary(call.id, 'voicemail_left', { disposition: 'machine', amdStatus: 'MACHINE' }));
  await r.clock.advance(0);
  assert.equal(callsOf(r.db, contactId)[0]!.disposition, 'machine');
  assert.equal(contact(r.db, contactId).next_attempt_at, at(240));
});

test('a call in the flow whose summary never comes is still recorded after a grace period', async () => {
  const { r, call, contactId } = await oneCall();
  call.enterStasis('HUMAN');
  await r.clock.advance(0);
  call.end({ cause: 16 });
  await r.clock.advance(0);
  assert.equal(contact(r.db, contactId).status, 'in_progress', 'waiting for the flow');
  await r.clock.advance(10_000);
  const c = contact(r.db, contactId);
  assert.equal(c.status, 'pending');
  assert.equal(callsOf(r.db, contactId)[0]!.disposition, 'answered');
});

test('an attempt whose row the flow already closed is counted once against the daily cap', async () => {
  const { r, call, contactId } = await oneCall({ maxAttemptsPerDay: 2, retryDelayMinutes: { hangup_early: 10 } });
  call.enterStasis('HUMAN');
  await r.clock.advance(0);
  // The flows module writes the final row itself before it reports.
  r.db.prepare(`UPDATE calls SET state = 'ended', result = 'hangup_early' WHERE id = ?`).run(call.id);
  call.end({ cause: 16 });
  r.dialer.onCallFinished(summary(call.id, 'hangup_early'));
  await r.clock.advance(0);
  assert.equal(contact(r.db, contactId).next_attempt_at, at(10), 'the second attempt of the day is still allowed');
});

test('while Asterisk refuses every originate the dialer holds back, so an outage does not burn every contact’s attempts', async () => {
  const r = rig();
  const numbers = Array.from({ length: 40 }, (_, i) => `+316130000${String(i).padStart(2, '0')}`);
  const { contactIds } = seedCampaign(r.db, { debtors: numbers.map((n) => ({ phones: [n] })), settings: { maxCallsPerSecond: 2 } });
  for (const n of numbers) r.tel.refuse.add(n);
  await r.dialer.start();
  await r.clock.advance(30_000);
  const tried = contactIds.filter((id) => contact(r.db, id).attempts > 0).length;
  // Without holding back: 2 a second for 30 s = every contact. Holding 2, 4, 8, 16 s: 5 rounds of 2.
  assert.ok(tried <= 10, `${tried} contacts got a failed attempt`);
  for (const n of numbers) r.tel.refuse.delete(n);
  await r.clock.advance(60_000);
  assert.ok(r.tel.calls.length > 0, 'dialling resumes when Asterisk accepts again');
  await r.dialer.stop();
});

test('nothing is dialled while the events connection to Asterisk is down', async () => {
  const r = rig();
  seedCampaign(r.db, { debtors: [{ phones: ['+31611111111'] }] });
  r.tel.state = 'reconnecting';
  const report = await r.dialer.tick();
  assert.deepEqual([report.held, r.tel.calls.length], [true, 0]);
  r.tel.state = 'connected';
  assert.equal((await r.dialer.tick()).originated, 1);
});
