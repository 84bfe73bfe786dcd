/**
 * Issue 5's segmentation cases end to end on the simulator: a debtor calls back and the
 * amount and risk decide before the callback rule does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { label, said, flowRigForFile } from './flow-harness.ts';

const rig = flowRigForFile({ agents: 1 });

test('a small claim calling back after hearing the message gets the pay link, never an agent', { timeout: 60000 }, async () => {
  // Prompts: 1 welcome, 2 identity, 3 message, 4 menu (pay link, dispute, repeat — no agent).
  const r = await rig().callIn('+31620000101', { keys: [{ afterPrompt: 2, on: 'end', delayMs: 600, keys: '1' }, { afterPrompt: 4, on: 'end', delayMs: 600, keys: '2' }, { afterPrompt: 5, on: 'end', delayMs: 600, keys: '1' }] }, [
    { phone: '+31620000101', amountCents: 45_00, risk: 'low', mode: 'progressive', messageHeardAt: '2026-11-20T10:00:00.000Z' },
  ]);
  const heard = r.heard.map(label);
  assert.deepEqual(heard.slice(0, 4), [said('inbound_welcome'), 'identity', 'message', 'menu'], `heard: ${heard.join(' / ')}`);
  assert.doesNotMatch(r.heard[3]!, /medewerker|agent/i, `the small-claim menu offers no agent: ${r.heard[3]}`);
  assert.ok(heard.includes(said('invalid_choice')), `pressing 2 (an agent elsewhere) is not an option here: ${heard.join(' / ')}`);
  assert.deepEqual(rig().casesOf(r.callId), [], 'no agent was rung');
  assert.equal(r.stored.call!.result, 'paylink_requested');
  assert.equal(r.stored.sms.length, 1, 'the pay link SMS is queued');
});

test('a high-risk debtor calling back goes straight to an agent after the identity check, even without having heard the message', { timeout: 60000 }, async () => {
  const r = await rig().callIn('+31620000102', { keys: [{ afterPrompt: 2, on: 'end', delayMs: 600, keys: '1' }] }, [
    { phone: '+31620000102', amountCents: 300_00, risk: 'high', mode: 'progressive', messageHeardAt: null },
  ]);
  assert.deepEqual(r.heard.map(label), [said('inbound_welcome'), 'identity', said('transfer_wait')]);
  const [shown] = rig().casesOf(r.callId);
  assert.equal(shown?.claimId, r.seeded!.claimId, 'the agent’s screen shows the claim');
  assert.equal(r.stored.call!.result, 'transferred');
  assert.equal(r.stored.call!.agentId, rig().agentIds[0]);
});
