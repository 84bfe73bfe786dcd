import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openRig } from './transfer-harness.ts';
import { listCalls } from '../../src/store/calls.ts';

test('an agent who hangs up during the whisper is not bridged; the next agent takes the debtor', async () => {
  const rig = await openRig();
  try {
    const quitter = rig.agent('Quitter', 'PJSIP/agent1', { outcome: 'answer', ringMs: 1000, hangup: { duringPrompt: 1, delayMs: 1000 } });
    const steady = rig.agent('Steady', 'PJSIP/agent2', { outcome: 'answer', ringMs: 1000 });
    rig.desk.registry.apply(quitter, 'go_available');
    await rig.clock.delay(1000);
    rig.desk.registry.apply(steady, 'go_available');
    const { call, callId } = await rig.debtorCall();
    assert.deepEqual(await rig.desk.transfer(rig.request(call, callId)), { kind: 'connected', agentId: steady });
    const first = rig.sim.asterisk.phone('PJSIP/agent1').calls[0]!;
    assert.equal(first.heard[0]?.end, 'hangup', 'the first agent left during the whisper');
    assert.deepEqual(first.bridgedWith, []);
    assert.deepEqual(rig.sim.asterisk.phone('+31612345678').calls[0]!.bridgedWith, ['PJSIP/agent2']);
    assert.equal(rig.desk.registry.get(quitter)?.state, 'wrap_up', 'they did answer, so they wrap up');
    await call.hangup();
    await rig.desk.whenFinished(callId);
  } finally {
    await rig.close();
  }
});

test('a debtor who hangs up during the whisper: the agent is hung up and never bridged, the flow hears debtor_hung_up', async () => {
  const rig = await openRig();
  try {
    const agentId = rig.agent('Anna', 'PJSIP/agent1', { outcome: 'answer', ringMs: 1000 });
    rig.desk.registry.apply(agentId, 'go_available');
    // Answered at once; 1 s ring + a few seconds into a ~7 s whisper.
    const { call, callId } = await rig.debtorCall('+31633333333', { outcome: 'answer', ringMs: 0, hangup: { afterMs: 4000 } });
    assert.deepEqual(await rig.desk.transfer(rig.request(call, callId)), { kind: 'debtor_hung_up' });
    const leg = rig.sim.asterisk.phone('PJSIP/agent1').calls[0]!;
    assert.notEqual(leg.answeredAt, null);
    assert.equal(leg.heard.length, 1);
    assert.notEqual(leg.heard[0]!.end, 'done', 'the whisper was cut off');
    assert.equal(leg.hungUpBy, 'app');
    assert.deepEqual(leg.bridgedWith, []);
    assert.equal(listCalls(rig.db, { direction: 'agent' })[0]?.state, 'ended');
    assert.equal(rig.sim.asterisk.bridges.size, 0);
  } finally {
    await rig.close();
  }
});
