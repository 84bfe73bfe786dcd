import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withSim } from './sim-harness.ts';
import type { TestAri } from './ari-test-client.ts';

const viaDialplan = (ari: TestAri, endpoint: string, callId: string) =>
  ari.req('POST', '/channels', { endpoint, context: 'bereik-outbound', extension: 's', priority: '1', callerId: '+31201234567', timeout: '30' }, { variables: { BEREIK_CALL_ID: callId } });

test('through bereik-outbound the app sees nothing until AMD has decided, then StasisStart with the verdict', async () => {
  await withSim(async (ari) => {
    // Presses 9 one second after answering: while AMD still listens.
    ari.sim.asterisk.setBehaviour('PJSIP/debtor', { outcome: 'answer', ringMs: 1000, keys: [{ atMs: 1000, keys: '9' }] });
    const o = await viaDialplan(ari, 'PJSIP/debtor', 'call-5');
    assert.equal(o.status, 200);
    const start = await ari.waitType('StasisStart');
    assert.deepEqual(start.args, ['outbound', 'call-5', 'HUMAN', 'HUMAN-800-800']);
    assert.deepEqual(ari.types(), ['StasisStart'], 'no Dial or state events before Stasis');
    const ch = start.channel as any;
    assert.equal(ch.dialplan.app_data, 'bereik,outbound,call-5,HUMAN,HUMAN-800-800');
    assert.equal((await ari.req('GET', `/channels/${o.body.id}/variable`, { variable: 'AMDSTATUS' })).body.value, 'HUMAN');
    await ari.req('DELETE', `/channels/${o.body.id}`);
    await ari.waitType('StasisEnd');
    assert.deepEqual(ari.types(), ['StasisStart', 'ChannelHangupRequest', 'StasisEnd'], 'no ChannelDestroyed after a dialplan Stasis');
    // The key fell into the AMD silence: pressed, never delivered.
    const keys = ari.sim.asterisk.phone('PJSIP/debtor').calls[0]!.keys;
    assert.deepEqual(keys.map((k) => [k.digit, k.delivered]), [['9', false]]);
  });
});

test('a person wrongly detected as a machine reaches the app as MACHINE; the record shows both', async () => {
  await withSim(async (ari) => {
    ari.sim.asterisk.setBehaviour('+31687654321', { outcome: 'answer', ringMs: 1000, amd: { status: 'MACHINE' } });
    await viaDialplan(ari, 'PJSIP/+31687654321@trunk', 'call-7');
    const start = await ari.waitType('StasisStart');
    assert.equal((start.args as string[])[2], 'MACHINE');
    assert.match((start.args as string[])[3]!, /^LONGGREETING-/);
    const rec = ari.sim.asterisk.phone('+31687654321').calls[0]!;
    assert.equal(rec.behaviour.outcome, 'answer');
    assert.equal(rec.amd?.status, 'MACHINE');
    assert.equal(rec.endpoint, 'PJSIP/+31687654321@trunk');
    await ari.req('DELETE', `/channels/${(start.channel as any).id}`);
    await ari.waitType('StasisEnd');
  });
});

test('without app_amd the call vanishes after answer and the app hears nothing', async () => {
  await withSim(async (ari) => {
    ari.sim.asterisk.setBehaviour('PJSIP/debtor', { outcome: 'answer', ringMs: 500, amdLoaded: false });
    const ended = new Promise((resolve) => ari.sim.asterisk.once('callEnded', resolve));
    const o = await viaDialplan(ari, 'PJSIP/debtor', 'call-8');
    await ended;
    assert.equal((await ari.req('GET', `/channels/${o.body.id}`)).status, 404);
    assert.deepEqual(ari.types(), []);
    assert.equal(ari.sim.asterisk.phone('PJSIP/debtor').calls[0]!.result, 'vanished');
  });
});

test('bereik-outbound-noamd goes straight into Stasis with NOTCHECKED', async () => {
  await withSim(async (ari) => {
    const o = await ari.req('POST', '/channels', { endpoint: 'PJSIP/agent1', context: 'bereik-outbound-noamd', extension: 's', priority: '1' }, { variables: { BEREIK_CALL_ID: 'call-9' } });
    const start = await ari.waitType('StasisStart');
    assert.deepEqual(start.args, ['outbound', 'call-9', 'NOTCHECKED', '']);
    assert.equal(ari.sim.asterisk.phone('PJSIP/agent1').calls[0]!.amd, null);
    await ari.req('DELETE', `/channels/${o.body.id}`);
    await ari.waitType('StasisEnd');
  });
});
