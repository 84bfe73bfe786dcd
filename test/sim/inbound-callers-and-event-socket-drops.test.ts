import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { ScaledClock } from '../../src/lib/clock.ts';
import { startSim, type PhoneCallRecord } from '../../src/sim/index.ts';
import { withSim } from './sim-harness.ts';

test('a debtor calling back from a national number: StasisStart ringing, keys counted from the answer', async () => {
  await withSim(async (ari) => {
    const id = await ari.sim.asterisk.callIn({ from: '0612345678', exten: '0201234567', behaviour: { keys: [{ atMs: 1000, keys: '2' }] } });
    const start = await ari.waitType('StasisStart');
    const ch = start.channel as any;
    assert.equal(ch.caller.number, '0612345678');
    assert.equal(ch.dialplan.context, 'bereik-inbound');
    assert.equal(ch.dialplan.exten, '0201234567');
    assert.match(ch.name, /^PJSIP\/trunk-/);
    // The app lets it ring 5 s: a key counted from the start of the call would come before the answer.
    await ari.sim.asterisk.clock.delay(5000);
    assert.deepEqual(ari.types(), ['StasisStart']);
    await ari.req('POST', `/channels/${id}/answer`);
    const dtmf = await ari.waitType('ChannelDtmfReceived');
    assert.equal(dtmf.digit, '2');
    assert.equal(dtmf.duration_ms, 280);
    const key = ari.sim.asterisk.phone('0612345678').calls[0]!.keys[0]!;
    // Counted from the start of the call it would have come 4 s before the answer. A few ms
    // under 1000 is timer rounding of the scaled clock; later is a busy machine.
    assert.ok(key.atMs >= 900, `pressed ${key.atMs} ms after answer`);
    await ari.req('DELETE', `/channels/${id}`);
    await ari.waitType('StasisEnd');
  });
});

test('a withheld caller who is never answered gives up', async () => {
  await withSim(async (ari) => {
    const ended = new Promise<any>((resolve) => ari.sim.asterisk.once('callEnded', resolve));
    await ari.sim.asterisk.callIn({ from: '', exten: '0201234567', behaviour: { giveUpMs: 5000 } });
    const rec = await ended;
    assert.equal(rec.result, 'abandoned');
    assert.equal(rec.hungUpBy, 'phone');
    await ari.waitType('StasisEnd');
    assert.deepEqual(ari.types(), ['StasisStart', 'ChannelHangupRequest', 'StasisEnd']);
  });
});

test('dropping the events socket keeps the call; after reconnecting no new StasisStart, later events arrive', async () => {
  await withSim(async (ari) => {
    // The caller presses 2 once the first prompt starts: after the reconnect, whatever the machine's speed.
    const id = await ari.sim.asterisk.callIn({ from: '+31612345678', exten: '0201234567', behaviour: { keys: [{ afterPrompt: 1, delayMs: 100, keys: '2' }] } });
    await ari.waitType('StasisStart');
    await ari.req('POST', `/channels/${id}/answer`);
    await ari.waitType('ChannelStateChange');
    const closed = ari.sim.asterisk.dropEventSockets();
    assert.equal(closed, 1);
    await ari.disconnect();
    // While disconnected the app still owns the channel.
    const app = await ari.req('GET', '/applications/bereik');
    assert.deepEqual(app.body.channel_ids, [id]);
    assert.equal((await ari.req('GET', '/channels')).body.length, 1);
    await ari.connect();
    await ari.req('POST', `/channels/${id}/play`, { media: 'sound:hello-world' });
    await ari.waitType('ChannelDtmfReceived');
    await ari.req('DELETE', `/channels/${id}`);
    await ari.waitType('StasisEnd');
    assert.equal(ari.types().filter((t) => t === 'StasisStart').length, 1);
  });
});

test('scenario inbound calls arrive at their moment', async () => {
  const clock = new ScaledClock(50);
  const sim = await startSim({ clock, scenario: { inbound: [{ at: 3000, from: '+31699999999', exten: '0201234567' }] } });
  try {
    const [rec] = (await once(sim.asterisk, 'callStarted')) as [PhoneCallRecord];
    assert.ok(clock.now() - sim.asterisk.startedAtMs >= 3000, 'not before its moment');
    assert.equal(rec.direction, 'inbound');
    assert.equal(rec.from, '+31699999999');
    assert.equal(rec.to, '0201234567');
  } finally {
    await sim.close();
  }
});
