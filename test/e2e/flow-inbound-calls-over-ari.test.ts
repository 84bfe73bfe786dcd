import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEBT_DETAIL, label, said, flowRigForFile } from './flow-harness.ts';

// Inbound prompts: 1 welcome, then identity (2) for a recognised number, or ask_debtor_number (2).
const rig = flowRigForFile({ agents: 1 });

test('a known caller (national number) who has not heard the message gets it and the menu', { timeout: 60000 }, async () => {
  const r = await rig().callIn('0620000001', { keys: [{ afterPrompt: 2, on: 'end', delayMs: 600, keys: '1' }, { afterPrompt: 4, on: 'end', delayMs: 600, keys: '1' }] }, [
    { phone: '+31620000001' },
  ]);
  assert.deepEqual(r.heard.map(label), [said('inbound_welcome'), 'identity', 'message', 'menu', said('paylink_sent'), said('goodbye')]);
  for (const d of DEBT_DETAIL) assert.doesNotMatch(r.heard[1]!, d);
  const row = r.stored.call!;
  assert.equal(row.direction, 'inbound');
  assert.equal(row.fromNumber, '+31620000001');
  assert.equal(row.debtorId, r.seeded!.debtorId);
  assert.equal(row.messageHeard, true);
  assert.equal(row.result, 'paylink_requested');
  assert.equal(r.stored.sms[0]!.to_e164, '+31620000001');
  assert.ok(r.heardAt);
});

test('a known caller who already heard the message is put through to an agent', { timeout: 60000 }, async () => {
  const r = await rig().callIn('+31620000002', { keys: [{ afterPrompt: 2, on: 'end', delayMs: 600, keys: '1' }] }, [
    { phone: '+31620000002', mode: 'progressive', messageHeardAt: '2026-11-20T10:00:00.000Z' },
  ]);
  assert.deepEqual(r.heard.map(label), [said('inbound_welcome'), 'identity', said('transfer_wait')]);
  // What the agent's screen showed when the phone rang: why, which claim, the keys pressed.
  const [shown] = rig().casesOf(r.callId);
  assert.deepEqual([shown?.reason, shown?.claimId, shown?.dtmfPath], ['callback', r.seeded!.claimId, '1']);
  assert.equal(r.stored.call!.result, 'transferred');
  assert.equal(r.stored.call!.agentId, rig().agentIds[0]);
});

test('an unknown caller keys the debtor number, is recognised and hears the message after confirming', { timeout: 60000 }, async () => {
  const r = await rig().callIn('+31620999999', {
    keys: [
      { afterPrompt: 2, on: 'end', delayMs: 600, keys: '77001#' },
      { afterPrompt: 3, on: 'end', delayMs: 600, keys: '1' },
      { afterPrompt: 5, on: 'end', delayMs: 600, keys: '3' },
    ],
  }, [{ phone: '+31620000003', externalRef: '77001' }]);
  assert.deepEqual(r.heard.map(label), [said('inbound_welcome'), said('ask_debtor_number'), 'identity', 'message', 'menu', said('dispute_recorded'), said('goodbye')]);
  assert.deepEqual(r.phone.keys.map((k) => k.digit).join(''), '77001#13');
  assert.equal(r.stored.call!.debtorId, r.seeded!.debtorId);
  assert.equal(r.stored.call!.result, 'dispute');
});

test('a withheld number that cannot be matched hears no debt detail and ends not found', { timeout: 60000 }, async () => {
  const r = await rig().callIn('', { keys: [2, 4, 6].map((n) => ({ afterPrompt: n, on: 'end' as const, delayMs: 600, keys: '404#' })) });
  assert.deepEqual(r.heard, [
    said('inbound_welcome'),
    said('ask_debtor_number'), said('debtor_not_found'),
    said('ask_debtor_number'), said('debtor_not_found'),
    said('ask_debtor_number'), said('debtor_not_found'),
    said('goodbye'),
  ]);
  for (const t of r.heard) for (const d of DEBT_DETAIL) assert.doesNotMatch(t, d);
  assert.equal(r.stored.call!.result, 'debtor_not_found');
  assert.equal(r.stored.call!.fromNumber, null);
});
