/**
 * POST /applications/{app}/subscription?eventSource=endpoint:PJSIP/<name>: Asterisk forwards
 * each channel's topic to its endpoint's (main/endpoints.c) and a subscribed endpoint's
 * topic to the app (res/stasis/app.c). So an app subscribed to the endpoint hears a call
 * from its creation, even one that fails within a millisecond; and a channel it also
 * hears directly (in Stasis) reaches it twice, byte for byte.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withSim } from './sim-harness.ts';
import { chanOf } from './ari-test-client.ts';

const viaDialplan = { context: 'bereik-outbound', extension: 's', priority: '1', callerId: '+31201234567', timeout: '30' };

test('subscribed to the endpoint first, the app hears a dialplan call that answers 486 at once end with cause 17', async () => {
  await withSim(async (ari) => {
    const sub = await ari.req('POST', '/applications/bereik/subscription', { eventSource: 'endpoint:PJSIP/busy' });
    assert.equal(sub.status, 200);
    assert.deepEqual(sub.body.endpoint_ids, ['PJSIP/busy']);
    const o = await ari.req('POST', '/channels', { endpoint: 'PJSIP/busy', ...viaDialplan });
    assert.equal(o.status, 200);
    const id = o.body.id as string;
    const destroyed = await ari.waitType('ChannelDestroyed', (e) => chanOf(e) === id);
    assert.deepEqual([destroyed.cause, destroyed.cause_txt], [17, 'User busy']);
    assert.deepEqual(ari.types(id), ['ChannelCreated', 'Dial', 'ChannelHangupRequest', 'Dial', 'ChannelDestroyed']);
    assert.equal(ari.events.filter((e) => e.type === 'Dial').at(-1)!.dialstatus, 'BUSY');
    assert.deepEqual((await ari.req('GET', '/applications/bereik')).body.channel_ids, [], 'the endpoint does not make the channel the app\'s');
  });
});

test('a 404 through the trunk is heard as cause 1 by an app subscribed to the trunk; other endpoints stay quiet', async () => {
  await withSim(async (ari) => {
    ari.sim.asterisk.setBehaviour('+31600000404', { outcome: 'invalid' });
    assert.equal((await ari.req('POST', '/applications/bereik/subscription', { eventSource: 'endpoint:PJSIP/trunk' })).status, 200);
    const quiet = await ari.req('POST', '/channels', { endpoint: 'PJSIP/busy', ...viaDialplan });
    const o = await ari.req('POST', '/channels', { endpoint: 'PJSIP/+31600000404@trunk', ...viaDialplan });
    const destroyed = await ari.waitType('ChannelDestroyed', (e) => chanOf(e) === o.body.id);
    assert.deepEqual([destroyed.cause, destroyed.cause_txt], [1, 'Unallocated (unassigned) number']);
    assert.deepEqual(ari.types(quiet.body.id as string), [], 'a call on another endpoint is not heard');
  });
});

test('an inbound call over a subscribed trunk is heard before Stasis; in Stasis its events come twice, StasisStart once', async () => {
  await withSim(async (ari) => {
    assert.equal((await ari.req('POST', '/applications/bereik/subscription', { eventSource: 'endpoint:PJSIP/trunk' })).status, 200);
    const id = await ari.sim.asterisk.callIn({ from: '+31612345678', exten: '0201234567' });
    await ari.waitType('StasisStart', (e) => chanOf(e) === id);
    assert.equal(ari.types(id)[0], 'ChannelCreated');
    assert.equal((await ari.req('POST', `/channels/${id}/answer`)).status, 204);
    const changes = () => ari.events.filter((e) => e.type === 'ChannelStateChange' && chanOf(e) === id);
    await ari.waitFor(() => changes().length === 2);
    const [first, second] = changes();
    assert.equal(JSON.stringify(first), JSON.stringify(second), 'the two copies are identical, timestamp included');
    assert.equal(ari.types(id).filter((t) => t === 'StasisStart').length, 1);
  });
});

test('subscribing to an endpoint that is not configured answers 422, as res_stasis does', async () => {
  await withSim(async (ari) => {
    const sub = await ari.req('POST', '/applications/bereik/subscription', { eventSource: 'endpoint:PJSIP/nowhere' });
    assert.deepEqual([sub.status, sub.body], [422, { message: 'Event source does not exist' }]);
  });
});
