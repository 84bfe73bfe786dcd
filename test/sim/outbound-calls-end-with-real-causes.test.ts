import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withSim } from './sim-harness.ts';
import type { TestAri } from './ari-test-client.ts';

const originate = (ari: TestAri, endpoint: string, extra: Record<string, string> = {}) =>
  ari.req('POST', '/channels', { endpoint, app: 'bereik', appArgs: 'outbound,c1', callerId: '+31201234567', timeout: '30', ...extra });

test('an answered call: Dial, Ringing, Up, StasisStart with args; app hang-up ends with 16 Normal Clearing', async () => {
  await withSim(async (ari) => {
    const o = await originate(ari, 'PJSIP/debtor');
    assert.equal(o.status, 200);
    assert.equal(o.body.state, 'Down');
    assert.equal(o.body.caller.number, '+31201234567');
    const start = await ari.waitType('StasisStart');
    assert.deepEqual(start.args, ['outbound', 'c1']);
    assert.equal((start.channel as any).state, 'Up');
    assert.equal((await ari.req('DELETE', `/channels/${o.body.id}`)).status, 204);
    const destroyed = await ari.waitType('ChannelDestroyed');
    assert.equal(destroyed.cause, 16);
    assert.equal(destroyed.cause_txt, 'Normal Clearing');
    // (the debtor's keys may come in between on a slow machine: not what this test is about)
    const types = ari.types().filter((t) => t !== 'ChannelDtmfReceived');
    assert.deepEqual(types, ['Dial', 'Dial', 'ChannelStateChange', 'ChannelStateChange', 'Dial', 'StasisStart', 'ChannelHangupRequest', 'StasisEnd', 'ChannelDestroyed']);
    const dials = ari.events.filter((e) => e.type === 'Dial').map((e) => e.dialstatus);
    assert.deepEqual(dials, ['', 'RINGING', 'ANSWER']);
    const hr = ari.events.find((e) => e.type === 'ChannelHangupRequest');
    assert.equal(hr?.cause, 32);
    assert.equal((await ari.req('GET', `/channels/${o.body.id}`)).status, 404);
    const rec = ari.sim.asterisk.phone('PJSIP/debtor').calls[0];
    assert.equal(rec?.hungUpBy, 'app');
    assert.equal(rec?.result, 'answered');
  });
});

test('busy and SIP failures: HangupRequest → Dial → ChannelDestroyed with the recorded cause', async () => {
  await withSim(async (ari) => {
    const cases: [string, number, string, string][] = [
      ['PJSIP/busy', 17, 'User busy', 'BUSY'],
      ['PJSIP/e404', 1, 'Unallocated (unassigned) number', 'NOANSWER'],
      ['PJSIP/e480', 19, 'User alerting, no answer', 'NOANSWER'],
      ['PJSIP/e503', 34, 'Circuit/channel congestion', 'CONGESTION'],
      ['PJSIP/e603', 21, 'Call Rejected', 'NOANSWER'],
    ];
    for (const [endpoint, cause, text, dialstatus] of cases) {
      const o = await originate(ari, endpoint);
      const d = await ari.waitType('ChannelDestroyed', (e) => (e.channel as any).id === o.body.id);
      assert.equal(d.cause, cause, endpoint);
      assert.equal(d.cause_txt, text, endpoint);
      assert.deepEqual(ari.types(o.body.id), ['Dial', 'ChannelHangupRequest', 'Dial', 'ChannelDestroyed'], endpoint);
      const last = ari.events.filter((e) => e.type === 'Dial' && (e.peer as any).id === o.body.id).at(-1);
      assert.equal(last?.dialstatus, dialstatus, endpoint);
    }
    assert.equal(ari.sim.asterisk.phone('PJSIP/busy').calls[0]?.result, 'busy');
  });
});

test('no answer and unreachable end after the originate timeout with 19 and no StasisStart', async () => {
  await withSim(async (ari) => {
    const a = await originate(ari, 'PJSIP/noanswer', { timeout: '8' });
    const b = await originate(ari, 'PJSIP/unreachable', { timeout: '15' });
    for (const id of [a.body.id, b.body.id]) {
      const d = await ari.waitType('ChannelDestroyed', (e) => (e.channel as any).id === id);
      assert.equal(d.cause, 19);
      assert.equal(d.cause_txt, 'User alerting, no answer');
    }
    assert.deepEqual(ari.types(a.body.id), ['Dial', 'Dial', 'ChannelStateChange', 'ChannelDestroyed']);
    assert.deepEqual(ari.types(b.body.id), ['Dial', 'ChannelDestroyed']);
    assert.equal(ari.sim.asterisk.phone('PJSIP/unreachable').calls[0]?.result, 'unreachable');
  });
});

test('REST errors answer with the status and body Asterisk gives', async () => {
  await withSim(async (ari) => {
    assert.deepEqual(await ari.req('GET', '/channels/nope'), { status: 404, body: { message: 'Channel not found' } });
    assert.deepEqual(await ari.req('DELETE', '/bridges/nope'), { status: 404, body: { message: 'Bridge not found' } });
    assert.deepEqual(await ari.req('GET', '/playbacks/nope'), { status: 404, body: { message: 'Playback not found' } });
    assert.deepEqual(await ari.req('POST', '/channels', { endpoint: 'PJSIP/no-such-endpoint', app: 'bereik' }), { status: 500, body: { error: 'Allocation failed' } });
    assert.deepEqual(await ari.req('POST', '/channels', { endpoint: 'Bogus/x', app: 'bereik' }), { status: 500, body: { error: 'Allocation failed' } });
    assert.deepEqual(await ari.req('POST', '/channels', { app: 'bereik' }), { status: 400, body: { message: 'Endpoint must be specified' } });
    assert.deepEqual(await ari.req('POST', '/channels', { endpoint: 'PJSIP/debtor' }), { status: 400, body: { message: 'Application or extension must be specified' } });
    const res = await fetch(`${ari.sim.url}/ari/channels`);
    assert.equal(res.status, 401);
    await res.text();
  });
});

test('a channel still ringing is not in Stasis: answer and play answer 409', async () => {
  await withSim(async (ari) => {
    const o = await originate(ari, 'PJSIP/noanswer');
    await ari.waitType('ChannelStateChange');
    assert.deepEqual(await ari.req('POST', `/channels/${o.body.id}/play`, { media: 'sound:hello-world' }), { status: 409, body: { message: 'Channel not in Stasis application' } });
    assert.equal((await ari.req('DELETE', `/channels/${o.body.id}`)).status, 204);
    await ari.waitType('ChannelDestroyed');
  });
});
