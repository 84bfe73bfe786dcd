import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEBT_DETAIL, label, said, flowRigForFile } from './flow-harness.ts';

// Outbound prompts the phone hears: 1 identity, 2 claim message, 3 menu, then what follows.
const rig = flowRigForFile();

const confirm = { afterPrompt: 1, on: 'end' as const, delayMs: 600, keys: '1' };

test('identity yes → message → 1: the phone hears who, then the claim, then the pay link is queued', { timeout: 60000 }, async () => {
  const r = await rig().dialOut('+31610000001', { keys: [confirm, { afterPrompt: 3, on: 'end', delayMs: 800, keys: '1' }] });
  assert.deepEqual(r.heard.map(label), ['identity', 'message', 'menu', said('paylink_sent'), said('goodbye')]);
  assert.match(r.heard[0]!, /Spreek ik met Jan Jansen\?/);
  for (const d of DEBT_DETAIL) assert.doesNotMatch(r.heard[0]!, d, 'no debt detail before the debtor confirmed');
  assert.match(r.heard[1]!, /Energie Noord.*F 2 0 2 6, streepje, 0 0 4 2.*tweehonderdvijftig euro/);
  // The audio that names the debtor is on their record, so erasing them deletes it.
  const debtor = r.seeded!.debtorId;
  assert.deepEqual(r.heardOwners.slice(0, 2), [debtor, debtor]);
  assert.deepEqual(r.phone.keys.map((k) => k.digit), ['1', '1']);
  assert.equal(r.phone.amd?.status, 'HUMAN');
  assert.equal(r.phone.hungUpBy, 'app');
  const row = r.stored.call!;
  assert.equal(row.state, 'ended');
  assert.equal(row.disposition, 'answered');
  assert.equal(row.amdStatus, 'HUMAN');
  assert.ok(row.amdCause);
  assert.equal(row.identityConfirmed, true);
  assert.equal(row.messageHeard, true);
  assert.equal(row.dtmfPath, '11');
  assert.equal(row.result, 'paylink_requested');
  assert.ok(row.answeredAt && row.endedAt);
  assert.equal(row.hangupCause, 16);
  assert.equal(r.stored.sms.length, 1);
  assert.equal(r.stored.sms[0]!.to_e164, '+31610000001');
  // A tracked short link to the pay page, not the pay page itself.
  assert.match(r.stored.sms[0]!.body, /Betaal via http:\/\/\S+\/p\/[A-Za-z0-9_-]{22}\n/);
  assert.ok(r.heardAt, 'the contact records that the message was heard');
});

test('a debtor with other open invoices hears how many and their total after the claim message, in the same audio', { timeout: 60000 }, async () => {
  const other = [{ amountCents: 120_00 }, { amountCents: 80_40 }, { amountCents: 999_00, status: 'paid' }, { amountCents: 50_00, status: 'disputed' }];
  const r = await rig().dialOut('+31611110011', { keys: [confirm, { afterPrompt: 3, on: 'end', delayMs: 800, keys: '1' }] }, { otherClaims: other });
  assert.deepEqual(r.heard.map(label), ['identity', 'message', 'menu', said('paylink_sent'), said('goodbye')]);
  assert.match(r.heard[1]!, /tweehonderdvijftig euro open\. .*Er staan nog 2 andere facturen op uw naam open\. Die zijn samen tweehonderd euro\.$/);
  const one = await rig().dialOut('+31611110012', { keys: [confirm, { afterPrompt: 3, on: 'end', delayMs: 800, keys: '1' }] }, { otherClaims: [{ amountCents: 75_50 }] });
  assert.match(one.heard[1]!, /Er staat nog één andere factuur op uw naam open, van zesenzeventig euro\.$/);
  const none = await rig().dialOut('+31611110013', { keys: [confirm, { afterPrompt: 3, on: 'end', delayMs: 800, keys: '1' }] });
  assert.doesNotMatch(none.heard[1]!, /andere factu/, 'nothing about other invoices when there are none');
});

test('identity no: a polite close and nothing about the debt', { timeout: 60000 }, async () => {
  const r = await rig().dialOut('+31610000002', { keys: [{ ...confirm, keys: '2' }] });
  assert.deepEqual(r.heard.map(label), ['identity', said('identity_not_confirmed')]);
  for (const t of r.heard) for (const d of DEBT_DETAIL) assert.doesNotMatch(t, d);
  assert.equal(r.stored.call!.result, 'identity_not_confirmed');
  assert.equal(r.stored.call!.identityConfirmed, false);
  assert.equal(r.stored.call!.messageHeard, false);
});

test('no input at all: the question is asked three times, then closed as identity not confirmed', { timeout: 60000 }, async () => {
  const r = await rig().dialOut('+31610000003', {});
  assert.deepEqual(r.heard.map(label), ['identity', said('no_input'), 'identity', said('no_input'), 'identity', said('no_input'), said('identity_not_confirmed')]);
  for (const t of r.heard) for (const d of DEBT_DETAIL) assert.doesNotMatch(t, d);
  assert.equal(r.stored.call!.result, 'identity_not_confirmed');
  assert.equal(r.stored.call!.dtmfPath, '');
});

test('wrong keys three times in the menu: re-prompted twice, then a polite close (no_choice)', { timeout: 60000 }, async () => {
  const wrong = [3, 5, 7].map((n) => ({ afterPrompt: n, on: 'end' as const, delayMs: 700, keys: '5' }));
  const r = await rig().dialOut('+31610000004', { keys: [confirm, ...wrong] });
  assert.deepEqual(r.heard.map(label), ['identity', 'message', 'menu', said('invalid_choice'), 'menu', said('invalid_choice'), 'menu', said('invalid_choice'), said('goodbye')]);
  assert.equal(r.stored.call!.result, 'no_choice');
  assert.equal(r.stored.call!.dtmfPath, '1555');
});

test('9 repeats the message; 3 then records a dispute', { timeout: 60000 }, async () => {
  const r = await rig().dialOut('+31610000005', {
    keys: [confirm, { afterPrompt: 3, on: 'end', delayMs: 700, keys: '9' }, { afterPrompt: 5, on: 'end', delayMs: 700, keys: '3' }],
  });
  assert.deepEqual(r.heard.map(label), ['identity', 'message', 'menu', 'message', 'menu', said('dispute_recorded'), said('goodbye')]);
  assert.equal(r.stored.call!.result, 'dispute');
  assert.equal(r.stored.call!.dtmfPath, '193');
  assert.equal(r.claimStatus, 'disputed');
});

test('hang-up in the middle of the claim message: message_heard stays 0', { timeout: 60000 }, async () => {
  const r = await rig().dialOut('+31610000006', { keys: [confirm], hangup: { duringPrompt: 2, delayMs: 2000 } });
  assert.deepEqual(r.heard.map(label), ['identity', 'message']);
  assert.equal(r.phone.heard[1]!.end, 'hangup');
  assert.equal(r.phone.hungUpBy, 'phone');
  const row = r.stored.call!;
  assert.equal(row.messageHeard, false);
  assert.equal(row.identityConfirmed, true);
  assert.equal(row.result, 'hangup_early');
  assert.equal(row.state, 'ended');
  assert.equal(r.heardAt, null);
});

test('an answering machine gets only who called and the number to call back', { timeout: 60000 }, async () => {
  const r = await rig().dialOut('+31610000007', { outcome: 'machine', amd: { status: 'MACHINE' } });
  assert.deepEqual(r.heard, [said('voicemail')]);
  assert.equal(r.phone.heard[0]!.end, 'done', 'the machine recorded all of it');
  for (const d of DEBT_DETAIL) assert.doesNotMatch(r.heard[0]!, d);
  assert.doesNotMatch(r.heard[0]!, /Jan Jansen|incasso|schuld/i);
  const row = r.stored.call!;
  assert.equal(row.disposition, 'machine');
  assert.equal(row.amdStatus, 'MACHINE');
  assert.equal(row.result, 'voicemail_left');
  assert.equal(row.messageHeard, false);
});
