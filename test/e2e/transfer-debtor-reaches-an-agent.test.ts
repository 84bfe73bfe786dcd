import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openRig } from './transfer-harness.ts';
import { getCall, listCalls } from '../../src/store/calls.ts';

test('a debtor is put through: music while waiting, the agent hears the whisper alone, then both talk; hanging up ends both legs and the agent wraps up', async () => {
  const rig = await openRig({ wrapUpSec: 30 });
  try {
    const agentId = rig.agent('Anna', 'PJSIP/agent1', { outcome: 'answer', ringMs: 3000 });
    rig.desk.registry.apply(agentId, 'go_available');
    const pops: string[] = [];
    rig.desk.on('pop', (id, pop) => id === agentId && pops.push(pop.phase));
    const { call, callId } = await rig.debtorCall('+31612345678', { outcome: 'answer', ringMs: 0 });

    const outcome = await rig.desk.transfer(rig.request(call, callId));
    assert.deepEqual(outcome, { kind: 'connected', agentId });
    assert.equal(rig.desk.registry.get(agentId)?.state, 'talking');

    const debtor = rig.sim.asterisk.phone('+31612345678').calls[0]!;
    const agentPhone = rig.sim.asterisk.phone('PJSIP/agent1').calls[0]!;
    assert.equal(debtor.moh.length, 1, 'the debtor waited with music');
    assert.notEqual(debtor.moh[0]!.endedAtMs, null, 'the music stopped before the conversation');
    assert.deepEqual(rig.heard('PJSIP/agent1'), ['Jan Jansen. twaalfhonderdvijfendertig euro. Risico hoog. menukeuze.']);
    assert.deepEqual(rig.heard('+31612345678'), [], 'the debtor did not hear the whisper');
    assert.deepEqual(debtor.bridgedWith, ['PJSIP/agent1']);
    assert.deepEqual(agentPhone.bridgedWith, ['+31612345678']);

    const leg = listCalls(rig.db, { direction: 'agent' })[0]!;
    assert.equal(leg.parentCallId, callId);
    assert.equal(leg.agentId, agentId);
    assert.equal(leg.state, 'up');

    rig.sim.asterisk.hangUpPhone(call.id, 16);
    await rig.desk.whenFinished(callId);
    assert.equal(getCall(rig.db, leg.id)?.state, 'ended');
    assert.equal(rig.sim.asterisk.phone('PJSIP/agent1').calls[0]!.hungUpBy, 'app', 'Bereik hung up the agent when the debtor left');
    assert.equal(rig.desk.registry.get(agentId)?.state, 'wrap_up');
    assert.deepEqual(pops, ['ringing', 'whisper', 'connected', 'ended']);
    assert.equal(rig.sim.asterisk.bridges.size, 0, 'no bridge left behind');
    await rig.clock.delay(31_000);
    assert.equal(rig.desk.registry.get(agentId)?.state, 'available', 'wrap-up ends on the clock');
  } finally {
    await rig.close();
  }
});
