import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answeredCall, withSim } from './sim-harness.ts';

test('warm transfer: the caller waits with music, hears no failed prompt, talks to the agent in a native RTP bridge', async () => {
  await withSim(async (ari) => {
    const caller = await ari.sim.asterisk.callIn({ from: '+31612345678', exten: '0201234567', behaviour: { outcome: 'answer' } });
    const start = await ari.waitType('StasisStart');
    assert.deepEqual(start.args, ['inbound', '0201234567']);
    assert.equal((start.channel as any).state, 'Ring');
    await ari.req('POST', `/channels/${caller}/answer`);
    const hold = await ari.req('POST', '/bridges', { type: 'holding', name: 'hold-1' });
    assert.equal(hold.body.technology, 'holding_bridge');
    assert.equal(hold.body.bridge_type, 'holding');
    assert.equal((await ari.req('POST', `/bridges/${hold.body.id}/addChannel`, { channel: caller })).status, 204);
    assert.equal((await ari.req('POST', `/bridges/${hold.body.id}/moh`, { mohClass: 'default' })).status, 204);
    // Asterisk cannot play over MOH in a holding bridge: the playback fails at once.
    const pb = await ari.req('POST', `/bridges/${hold.body.id}/play`, { media: 'sound:hello-world' });
    assert.equal(pb.status, 201);
    const failed = await ari.waitType('PlaybackFinished', (e) => (e.playback as any).id === pb.body.id);
    assert.equal((failed.playback as any).state, 'failed');

    const agent = await answeredCall(ari, 'PJSIP/agent1', `agent,${caller}`);
    await ari.req('DELETE', `/bridges/${hold.body.id}/moh`);
    const talk = await ari.req('POST', '/bridges', { type: 'mixing', name: 'talk-1' });
    assert.equal(talk.body.technology, 'simple_bridge');
    await ari.req('POST', `/bridges/${talk.body.id}/addChannel`, { channel: caller });
    await ari.req('POST', `/bridges/${talk.body.id}/addChannel`, { channel: agent });
    await ari.waitType('ChannelEnteredBridge', (e) => (e.channel as any).id === agent);
    const moved = ari.events.filter((e) => e.type === 'ChannelLeftBridge' || e.type === 'ChannelEnteredBridge').map((e) => `${e.type}:${(e.bridge as any).name}`);
    assert.deepEqual(moved, ['ChannelEnteredBridge:hold-1', 'ChannelLeftBridge:hold-1', 'ChannelEnteredBridge:talk-1', 'ChannelEnteredBridge:talk-1']);
    assert.equal((await ari.req('GET', `/bridges/${talk.body.id}`)).body.technology, 'native_rtp');

    // The caller hangs up: left the bridge, StasisEnd, no ChannelDestroyed (entered from the dialplan).
    assert.equal((await ari.req('DELETE', `/bridges/${hold.body.id}`)).status, 204);
    ari.sim.asterisk.hangUpPhone(caller, 16);
    await ari.waitType('StasisEnd', (e) => (e.channel as any).id === caller);
    await ari.req('DELETE', `/channels/${agent}`);
    await ari.waitType('ChannelDestroyed', (e) => (e.channel as any).id === agent);
    assert.equal((await ari.req('DELETE', `/bridges/${talk.body.id}`)).status, 204);
    await ari.waitType('BridgeDestroyed');
    assert.ok(!ari.events.some((e) => e.type === 'ChannelDestroyed' && (e.channel as any).id === caller));
    // Only the talk bridge reports BridgeDestroyed: the app left the holding bridge when it moved the caller.
    assert.deepEqual(ari.events.filter((e) => e.type === 'BridgeDestroyed').map((e) => (e.bridge as any).name), ['talk-1']);
    assert.deepEqual(await ari.req('POST', `/bridges/${hold.body.id}/addChannel`, { channel: agent }), { status: 404, body: { message: 'Bridge not found' } });

    const rec = ari.sim.asterisk.phone('+31612345678').calls[0]!;
    assert.equal(rec.direction, 'inbound');
    assert.equal(rec.moh.length, 1);
    assert.ok(rec.moh[0]!.endedAtMs !== null);
    assert.deepEqual(rec.bridgedWith, ['PJSIP/agent1']);
    assert.deepEqual(rec.heard.map((h) => h.end), ['failed']);
    assert.deepEqual(ari.sim.asterisk.phone('PJSIP/agent1').calls[0]!.bridgedWith, ['+31612345678']);
  });
});

test('bridge operations on channels that are unknown, outside Stasis or not in the bridge', async () => {
  await withSim(async (ari) => {
    const b = await ari.req('POST', '/bridges', { type: 'mixing' });
    assert.deepEqual(await ari.req('POST', `/bridges/${b.body.id}/addChannel`, { channel: 'nope' }), { status: 400, body: { message: 'Channel not found' } });
    const ringing = await ari.req('POST', '/channels', { endpoint: 'PJSIP/noanswer', app: 'bereik' });
    await ari.waitType('ChannelStateChange');
    assert.deepEqual(await ari.req('POST', `/bridges/${b.body.id}/addChannel`, { channel: ringing.body.id }), { status: 422, body: { message: 'Channel not in Stasis application' } });
    const id = await answeredCall(ari, 'PJSIP/agent1');
    assert.deepEqual(await ari.req('POST', `/bridges/${b.body.id}/removeChannel`, { channel: id }), { status: 422, body: { message: 'Channel not in this bridge' } });
    assert.equal((await ari.req('GET', '/bridges')).body.length, 1);
    await ari.req('DELETE', `/channels/${ringing.body.id}`);
    await ari.req('DELETE', `/channels/${id}`);
  });
});
