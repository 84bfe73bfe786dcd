/**
 * The callback rule in every campaign mode, end to end on the simulator: a debtor of an
 * agentless campaign who calls back having heard the message, or who presses 2 on the
 * agentless outbound call, talks with the agent who is logged in (warm transfer, whisper,
 * bridge), though no agent was kept for the campaign.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { label, said, flowRigForFile } from './flow-harness.ts';

const rig = flowRigForFile({ agents: 1 });

test('agentless: a debtor who heard the message calls back and talks with the logged-in agent', { timeout: 60000 }, async () => {
  const r = await rig().callIn('+31620000201', { keys: [{ afterPrompt: 2, on: 'end', delayMs: 600, keys: '1' }] }, [
    { phone: '+31620000201', mode: 'agentless', messageHeardAt: '2026-11-20T10:00:00.000Z', amountCents: 250_00 },
  ]);
  assert.deepEqual(r.heard.map(label), [said('inbound_welcome'), 'identity', said('transfer_wait')]);
  assert.deepEqual(r.phone.bridgedWith, ['PJSIP/agent1'], 'the debtor talked to the agent');
  const [shown] = rig().casesOf(r.callId);
  assert.equal(shown?.claimId, r.seeded!.claimId, 'the agent’s screen shows the claim');
  assert.equal(r.stored.call!.result, 'transferred');
  assert.equal(r.stored.call!.agentId, rig().agentIds[0]);
  await rig().desk.whenFinished(r.callId);
});

test('agentless outbound: the debtor presses 2 and is put through to the agent who is free at that moment', { timeout: 60000 }, async () => {
  // Prompts: 1 identity, 2 message, 3 menu (pay link, agent, dispute, repeat).
  const r = await rig().dialOut('+31620000202', { keys: [{ afterPrompt: 1, on: 'end', delayMs: 600, keys: '1' }, { afterPrompt: 3, on: 'end', delayMs: 600, keys: '2' }] }, { mode: 'agentless', amountCents: 250_00 });
  assert.deepEqual(r.heard.map(label), ['identity', 'message', 'menu', said('transfer_wait')]);
  assert.match(r.heard[2]!, /medewerker/, 'the menu offers the agent');
  assert.deepEqual(r.phone.bridgedWith, ['PJSIP/agent1']);
  assert.equal(r.stored.call!.result, 'transferred');
  assert.equal(r.stored.call!.agentId, rig().agentIds[0]);
  assert.equal(r.stored.call!.dtmfPath, '12');
  await rig().desk.whenFinished(r.callId);
});
