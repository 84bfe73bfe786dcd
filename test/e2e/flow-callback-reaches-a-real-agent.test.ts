import { test } from 'node:test';
import assert from 'node:assert/strict';
import { label, said, startFlowRig } from './flow-harness.ts';

test('a debtor who heard the message calls back, confirms, and is put through to a real agent who hears the whisper', { timeout: 60000 }, async () => {
  const rig = await startFlowRig();
  try {
    const desk = rig.desk;
    rig.sim.asterisk.setBehaviour('PJSIP/agent1', { outcome: 'answer', ringMs: 2000 });
    const agentId = desk.registry.create({ name: 'Anna', endpoint: 'PJSIP/agent1', skills: [] }).id;
    desk.registry.apply(agentId, 'go_available');

    const r = await rig.callIn('+31620000010', { keys: [{ afterPrompt: 2, on: 'end', delayMs: 600, keys: '1' }], hangup: { afterMs: 90_000 } }, [
      { phone: '+31620000010', mode: 'progressive', messageHeardAt: '2026-11-20T10:00:00.000Z', amountCents: 500_00 },
    ]);
    assert.deepEqual(r.heard.map(label), [said('inbound_welcome'), 'identity', said('transfer_wait')]);
    assert.equal(r.stored.call!.result, 'transferred');
    assert.deepEqual(r.phone.bridgedWith, ['PJSIP/agent1'], 'the debtor talked to the agent');
    const whisper = rig.sim.asterisk.phone('PJSIP/agent1').calls[0]!.heard.map((h) => rig.tts.textOf.get(h.media) ?? h.media);
    assert.equal(whisper.length, 1);
    assert.match(whisper[0]!, /Jan Jansen/);
    const row = r.stored.call!;
    assert.equal(row.result, 'transferred');
    assert.equal(row.agentId, agentId);
    assert.equal(row.identityConfirmed, true);
    assert.equal(row.dtmfPath, '1');
    await desk.whenFinished(r.callId);
  } finally {
    await rig.close();
  }
});
