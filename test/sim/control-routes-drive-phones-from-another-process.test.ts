import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withSim } from './sim-harness.ts';

test('/sim/ routes start an inbound caller, change a phone and read its record, behind the same auth', async () => {
  await withSim(async (ari) => {
    const headers = { authorization: 'Basic ' + Buffer.from(`${ari.sim.user}:${ari.sim.password}`).toString('base64'), 'content-type': 'application/json' };
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${ari.sim.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    };
    const bad = await post('/sim/behaviour', { phone: '+31600000000', behaviour: { outcome: 'bussy' } });
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /behaviour\.outcome: must be one of/);
    assert.equal((await post('/sim/behaviour', { phone: '+31600000000', behaviour: { outcome: 'busy' } })).status, 204);
    await ari.req('POST', '/channels', { endpoint: 'PJSIP/+31600000000@trunk', app: 'bereik' });
    await ari.waitType('ChannelDestroyed');

    const inbound = await post('/sim/inbound', { from: '0612345678', exten: '0201234567' });
    assert.equal(inbound.status, 200);
    const start = await ari.waitType('StasisStart');
    assert.equal((start.channel as any).id, inbound.body.channelId);
    await ari.req('DELETE', `/channels/${inbound.body.channelId}`);
    await ari.waitType('StasisEnd');

    const rec = await (await fetch(`${ari.sim.url}/sim/phone?key=%2B31600000000`, { headers })).json();
    assert.deepEqual(rec.calls.map((c: any) => c.result), ['busy']);
    const calls = await (await fetch(`${ari.sim.url}/sim/calls`, { headers })).json();
    assert.deepEqual(calls.map((c: any) => c.direction), ['outbound', 'inbound']);
    const anon = await fetch(`${ari.sim.url}/sim/calls`);
    assert.equal(anon.status, 401);
    await anon.text();
  });
});
