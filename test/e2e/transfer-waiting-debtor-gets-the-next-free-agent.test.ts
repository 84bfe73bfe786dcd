import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openRig } from './transfer-harness.ts';

test('a debtor who finds the only agent busy waits with music and is put through once that agent has wrapped up', async () => {
  const rig = await openRig({ wrapUpSec: 5, maxWaitSec: 60 });
  try {
    const agentId = rig.agent('Anna', 'PJSIP/agent1', { outcome: 'answer', ringMs: 1000 });
    rig.desk.registry.apply(agentId, 'go_available');
    const first = await rig.debtorCall('+31611111111');
    assert.deepEqual(await rig.desk.transfer(rig.request(first.call, first.callId)), { kind: 'connected', agentId });

    const second = await rig.debtorCall('+31622222222');
    const waiting = rig.desk.transfer(rig.request(second.call, second.callId));
    await rig.clock.delay(10_000);
    await first.call.hangup();
    await rig.desk.whenFinished(first.callId);
    assert.equal(rig.desk.registry.get(agentId)?.state, 'wrap_up');
    const t0 = rig.clock.now();
    assert.deepEqual(await waiting, { kind: 'connected', agentId });
    assert.ok(rig.clock.now() - t0 >= 5_000, 'not before the wrap-up was over');

    const calls = rig.sim.asterisk.phone('PJSIP/agent1').calls;
    assert.equal(calls.length, 2);
    assert.deepEqual(calls.map((c) => c.bridgedWith), [['+31611111111'], ['+31622222222']]);
    assert.equal(rig.sim.asterisk.phone('+31622222222').calls[0]!.moh.length, 1);
    await second.call.hangup();
    await rig.desk.whenFinished(second.callId);
  } finally {
    await rig.close();
  }
});
