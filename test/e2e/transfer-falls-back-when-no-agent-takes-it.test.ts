import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openRig } from './transfer-harness.ts';
import { listCalls } from '../../src/store/calls.ts';

test('nobody available: no_agent at once, and the debtor is live and out of the holding bridge', async () => {
  const rig = await openRig();
  try {
    rig.agent('Paused Piet', 'PJSIP/agent1', { outcome: 'answer', ringMs: 1000 });
    const { call, callId } = await rig.debtorCall();
    assert.equal(rig.desk.hasAgents(''), false);
    assert.deepEqual(await rig.desk.transfer(rig.request(call, callId)), { kind: 'no_agent' });
    assert.equal(call.ended, false, 'the flow can still play the fallback message');
    assert.equal(rig.sim.asterisk.bridges.size, 0);
    assert.equal(rig.sim.asterisk.phone('PJSIP/agent1').calls.length, 0, 'no agent phone rang');
    // The flow can play to the debtor again (not stuck behind music in a holding bridge).
    const pb = await call.play('sound:hello-world');
    assert.equal(await pb.finished, 'done');
    await call.hangup();
  } finally {
    await rig.close();
  }
});

test('the agent does not answer: that leg is hung up after the ring timeout, the agent is paused, the next agent takes the call', async () => {
  const rig = await openRig({ ringTimeoutSec: 15 });
  try {
    const sleepy = rig.agent('Sleepy', 'PJSIP/agent1', { outcome: 'noanswer' });
    const awake = rig.agent('Awake', 'PJSIP/agent2', { outcome: 'answer', ringMs: 2000 });
    rig.desk.registry.apply(sleepy, 'go_available'); // longest idle: rung first
    await rig.clock.delay(1000);
    rig.desk.registry.apply(awake, 'go_available');
    const { call, callId } = await rig.debtorCall();
    const t0 = rig.clock.now();
    const outcome = await rig.desk.transfer(rig.request(call, callId));
    assert.deepEqual(outcome, { kind: 'connected', agentId: awake });
    assert.ok(rig.clock.now() - t0 >= 15_000, 'the first agent rang for the full ring timeout');
    const first = rig.sim.asterisk.phone('PJSIP/agent1').calls[0]!;
    assert.equal(first.answeredAt, null);
    assert.equal(first.hungUpBy, 'app');
    assert.equal(rig.desk.registry.get(sleepy)?.state, 'paused', 'an agent who rang out is not offered the next call');
    const legs = listCalls(rig.db, { direction: 'agent' }).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    assert.deepEqual(legs.map((l) => [l.agentId, l.disposition]), [[sleepy, 'no_answer'], [awake, 'answered']]);
    assert.equal(rig.sim.asterisk.phone('+31612345678').calls[0]!.moh.length, 1, 'the debtor kept the music between agents');
    await call.hangup();
    await rig.desk.whenFinished(callId);
  } finally {
    await rig.close();
  }
});

test('the debtor hangs up while an agent rings: the agent leg is cancelled and the agent is available again', async () => {
  const rig = await openRig();
  try {
    const agentId = rig.agent('Anna', 'PJSIP/agent1', { outcome: 'noanswer' });
    rig.desk.registry.apply(agentId, 'go_available');
    const { call, callId } = await rig.debtorCall('+31611111111', { outcome: 'answer', ringMs: 0, hangup: { afterMs: 5000 } });
    const outcome = await rig.desk.transfer(rig.request(call, callId));
    assert.deepEqual(outcome, { kind: 'debtor_hung_up' });
    const leg = rig.sim.asterisk.phone('PJSIP/agent1').calls[0]!;
    assert.equal(leg.answeredAt, null);
    assert.equal(leg.hungUpBy, 'app');
    assert.notEqual(leg.endedAt, null);
    assert.equal(rig.desk.registry.get(agentId)?.state, 'available');
    assert.equal(listCalls(rig.db, { direction: 'agent' })[0]?.disposition, 'abandoned');
    assert.equal(rig.sim.asterisk.bridges.size, 0);
  } finally {
    await rig.close();
  }
});

test('two debtors at once and one agent: the first gets the agent, the second waits and never gets the same agent', async () => {
  const rig = await openRig({ maxWaitSec: 20 });
  try {
    const agentId = rig.agent('Anna', 'PJSIP/agent1', { outcome: 'answer', ringMs: 1000 });
    rig.desk.registry.apply(agentId, 'go_available');
    const a = await rig.debtorCall('+31611111111');
    const b = await rig.debtorCall('+31622222222');
    const [ra, rb] = await Promise.all([rig.desk.transfer(rig.request(a.call, a.callId)), rig.desk.transfer(rig.request(b.call, b.callId))]);
    assert.deepEqual(ra, { kind: 'connected', agentId });
    assert.deepEqual(rb, { kind: 'no_agent' }, 'the agent was still talking when the wait ran out');
    assert.equal(rig.sim.asterisk.phone('PJSIP/agent1').calls.length, 1, 'the agent phone rang once');
    assert.equal(b.call.ended, false);
    await b.call.hangup();
    await a.call.hangup();
    await rig.desk.whenFinished(a.callId);
  } finally {
    await rig.close();
  }
});
