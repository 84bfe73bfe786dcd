/**
 * POST /applications/{app}/subscription: an app that subscribes to a channel it sent into
 * the AMD dialplan hears how that call ends (busy 17, no answer 19) although it never
 * reaches Stasis; the subscription answers and errors are Asterisk's
 * (resource_applications.c).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withSim } from './sim-harness.ts';
import { chanOf, type TestAri } from './ari-test-client.ts';

/** 10×: the subscription must reach the simulator before the phone's next move, with room to spare on a busy machine. */
const SLOW = { scale: 10 };

const viaDialplan = async (ari: TestAri, endpoint: string, timeout = '30'): Promise<string> => {
  const o = await ari.req('POST', '/channels', { endpoint, context: 'bereik-outbound', extension: 's', priority: '1', callerId: '+31201234567', timeout }, { variables: { BEREIK_CALL_ID: 'call-1' } });
  assert.equal(o.status, 200);
  return o.body.id as string;
};

test('subscribed to a dialplan call that is busy, the app hears cause 17 although the call never reaches Stasis', async () => {
  await withSim(async (ari) => {
    // A mobile network answers busy after a moment, not within a millisecond (5 s: 0.5 s real).
    ari.sim.asterisk.setBehaviour('PJSIP/debtor', { outcome: 'busy', ringMs: 5000 });
    const id = await viaDialplan(ari, 'PJSIP/debtor');
    const sub = await ari.req('POST', '/applications/bereik/subscription', { eventSource: `channel:${id}` });
    assert.equal(sub.status, 200);
    assert.deepEqual(sub.body, { name: 'bereik', channel_ids: [id], bridge_ids: [], endpoint_ids: [], device_names: [], events_allowed: [], events_disallowed: [] });
    assert.deepEqual((await ari.req('GET', '/applications/bereik')).body.channel_ids, [id]);

    const destroyed = await ari.waitType('ChannelDestroyed');
    assert.equal(destroyed.cause, 17);
    assert.equal(destroyed.cause_txt, 'User busy');
    assert.deepEqual(ari.types(id), ['ChannelHangupRequest', 'Dial', 'ChannelDestroyed'], 'the Dial "" went out before the subscription');
    assert.equal(ari.events.find((e) => e.type === 'ChannelHangupRequest')!.cause, 17);
    assert.equal(ari.events.find((e) => e.type === 'Dial')!.dialstatus, 'BUSY');
    assert.deepEqual((await ari.req('GET', '/applications/bereik')).body.channel_ids, [], 'a gone channel is no longer listed');
  }, SLOW);
});

test('a subscription given in the JSON body hears an unanswered dialplan call end with cause 19 at the ring timeout', async () => {
  await withSim(async (ari) => {
    const id = await viaDialplan(ari, 'PJSIP/noanswer', '8');
    const sub = await ari.req('POST', '/applications/bereik/subscription', {}, { eventSource: `channel:${id}` });
    assert.equal(sub.status, 200);
    const destroyed = await ari.waitType('ChannelDestroyed');
    assert.equal(destroyed.cause, 19);
    assert.equal(destroyed.cause_txt, 'User alerting, no answer');
    assert.ok(!ari.types(id).includes('StasisStart'));
  }, SLOW);
});

test('a call that answers 486 at once is gone before the subscription arrives: 422, as on a real Asterisk', async () => {
  await withSim(async (ari) => {
    const id = await viaDialplan(ari, 'PJSIP/busy');
    const sub = await ari.req('POST', '/applications/bereik/subscription', { eventSource: `channel:${id}` });
    assert.deepEqual([sub.status, sub.body], [422, { message: 'Event source does not exist' }]);
    assert.deepEqual(ari.types(id), []);
  });
});

test('subscribed through AMD the app hears ringing, answer, the dialplan steps, keys and the AMD verdict; after Stasis it still gets ChannelDestroyed', async () => {
  await withSim(async (ari) => {
    ari.sim.asterisk.setBehaviour('PJSIP/debtor', { outcome: 'answer', ringMs: 3000, keys: [{ atMs: 1000, keys: '9' }] });
    const id = await viaDialplan(ari, 'PJSIP/debtor');
    assert.equal((await ari.req('POST', '/applications/bereik/subscription', { eventSource: `channel:${id}` })).status, 200);
    const start = await ari.waitType('StasisStart');
    assert.deepEqual(start.args, ['outbound', 'call-1', 'HUMAN', 'HUMAN-800-800']);
    // Dial "" and ringing went out with the originate, before the subscription; the NoOp at
    // s,1 is where the originated channel already was, so only AMD and Stasis are steps.
    assert.deepEqual(ari.types(id), ['ChannelStateChange', 'Dial', 'ChannelDialplan', 'ChannelDtmfReceived', 'ChannelDialplan', 'StasisStart']);
    const steps = ari.events.filter((e) => e.type === 'ChannelDialplan').map((e) => e.dialplan_app);
    assert.deepEqual(steps, ['AMD', 'Stasis']);
    const vars = Object.fromEntries(ari.events.filter((e) => e.type === 'ChannelVarset' && chanOf(e) === id).map((e) => [e.variable, e.value]));
    assert.deepEqual(vars, { AMDSTATUS: 'HUMAN', AMDCAUSE: 'HUMAN-800-800' });

    await ari.req('DELETE', `/channels/${id}`);
    const destroyed = await ari.waitType('ChannelDestroyed');
    assert.equal(destroyed.cause, 16);
    assert.deepEqual(ari.types(id).slice(-3), ['ChannelHangupRequest', 'StasisEnd', 'ChannelDestroyed'], 'the own subscription outlives StasisEnd');
  }, SLOW);
});

test('after DELETE of the subscription the app hears nothing more until Stasis, and nothing after StasisEnd', async () => {
  await withSim(async (ari) => {
    ari.sim.asterisk.setBehaviour('PJSIP/debtor', { outcome: 'answer', ringMs: 3000 });
    const id = await viaDialplan(ari, 'PJSIP/debtor');
    await ari.req('POST', '/applications/bereik/subscription', { eventSource: `channel:${id}` });
    const off = await ari.req('DELETE', '/applications/bereik/subscription', { eventSource: `channel:${id}` });
    assert.equal(off.status, 200);
    assert.deepEqual(off.body.channel_ids, []);
    await ari.waitType('StasisStart');
    assert.deepEqual(ari.types(id), ['StasisStart']);
    await ari.req('DELETE', `/channels/${id}`);
    await ari.waitType('StasisEnd');
    assert.deepEqual(ari.types(id), ['StasisStart', 'ChannelHangupRequest', 'StasisEnd']);
    const again = await ari.req('DELETE', '/applications/bereik/subscription', { eventSource: `channel:${id}` });
    assert.deepEqual([again.status, again.body], [422, { message: 'Event source was not subscribed to' }]);
  }, SLOW);
});

test('subscription errors: missing or malformed source 400, unknown app 404, unknown channel, bridge or endpoint 422; bridges and endpoints are listed', async () => {
  await withSim(async (ari) => {
    const post = (app: string, query: Record<string, string>) => ari.req('POST', `/applications/${app}/subscription`, query);
    const answer = async (p: Promise<{ status: number; body: unknown }>) => {
      const r = await p;
      return [r.status, r.body];
    };
    assert.deepEqual(await answer(post('bereik', {})), [400, { message: 'Missing parameter eventSource' }]);
    assert.deepEqual(await answer(post('bereik', { eventSource: 'call:1' })), [400, { message: 'Invalid event source URI scheme' }]);
    assert.deepEqual(await answer(post('nobody', { eventSource: 'channel:1' })), [404, { message: 'Application not found' }]);
    assert.deepEqual(await answer(post('bereik', { eventSource: 'channel:123.45' })), [422, { message: 'Event source does not exist' }]);
    assert.deepEqual(await answer(post('bereik', { eventSource: 'bridge:no-such-bridge' })), [422, { message: 'Event source does not exist' }]);
    assert.deepEqual(await answer(post('bereik', { eventSource: 'endpoint:PJSIP/nobody-here' })), [422, { message: 'Event source does not exist' }]);

    const bridge = (await ari.req('POST', '/bridges', { type: 'mixing' })).body.id as string;
    const both = await post('bereik', { eventSource: `bridge:${bridge},endpoint:PJSIP/debtor` });
    assert.equal(both.status, 200);
    assert.deepEqual([both.body.bridge_ids, both.body.endpoint_ids], [[bridge], ['PJSIP/debtor']]);
    await ari.req('DELETE', `/bridges/${bridge}`);
    const gone = await ari.waitType('BridgeDestroyed');
    assert.equal((gone.bridge as { id: string }).id, bridge, 'a subscribed bridge reports its end');
  });
});
