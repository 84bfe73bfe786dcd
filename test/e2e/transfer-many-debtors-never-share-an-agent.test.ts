import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openRig } from './transfer-harness.ts';

test('ten debtors at once and ten agents: every debtor talks to a different agent, each agent phone rang once', async () => {
  const rig = await openRig({ maxWaitSec: 30 });
  try {
    const agents: number[] = [];
    for (let i = 1; i <= 10; i++) {
      const id = rig.agent(`Agent ${i}`, `PJSIP/agent${100 + i}`, { outcome: 'answer', ringMs: 500 + 200 * i });
      rig.desk.registry.apply(id, 'go_available');
      agents.push(id);
    }
    const debtors = await Promise.all(Array.from({ length: 10 }, (_, i) => rig.debtorCall(`+316100000${10 + i}`)));
    const outcomes = await Promise.all(debtors.map((d) => rig.desk.transfer(rig.request(d.call, d.callId))));
    const got = outcomes.map((o) => (o.kind === 'connected' ? o.agentId : o.kind));
    assert.deepEqual([...got].sort((a, b) => Number(a) - Number(b)), agents, 'each agent exactly once');
    for (let i = 1; i <= 10; i++) {
      const calls = rig.sim.asterisk.phone(`PJSIP/agent${100 + i}`).calls;
      assert.equal(calls.length, 1, `agent${100 + i} rang once`);
      assert.equal(calls[0]!.bridgedWith.length, 1, `agent${100 + i} talked to exactly one debtor`);
    }
    const partners = debtors.map((_, i) => rig.sim.asterisk.phone(`+316100000${10 + i}`).calls[0]!.bridgedWith);
    assert.ok(partners.every((p) => p.length === 1), 'every debtor talked to one agent');
    assert.equal(new Set(partners.flat()).size, 10, 'and no two debtors to the same one');
    await Promise.all(debtors.map((d) => d.call.hangup()));
    await Promise.all(debtors.map((d) => rig.desk.whenFinished(d.callId)));
    assert.ok(rig.desk.registry.list().every((a) => a.state === 'wrap_up'));
    assert.equal(rig.sim.asterisk.bridges.size, 0);
  } finally {
    await rig.close();
  }
});
