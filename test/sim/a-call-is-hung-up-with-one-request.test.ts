/**
 * The flow hangs up after its goodbye and the session hangs up again when the flow is
 * done, before Asterisk's end events have arrived. Asterisk hangs a channel up once it
 * accepted a DELETE, so the second hang-up waits for the first instead of asking again
 * (under load that second DELETE was 0.43 requests per call, all answered 404).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ScaledClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { startSim, type Scenario } from '../../src/sim/index.ts';
import { AriTelephony } from '../../src/telephony/index.ts';

const LISTENER: Scenario = { endpoints: ['trunk'], default: { outcome: 'answer', ringMs: 50, hangup: { idleMs: 60_000 } } };

test('hanging up a call twice before it has ended sends Asterisk one DELETE; the call ends once, by us', async () => {
  const clock = new ScaledClock(10);
  const sim = await startSim({ clock, scenario: LISTENER });
  const tel = new AriTelephony({ url: sim.url, user: sim.user, password: sim.password, app: sim.app, clock, log: silentLogger(), simulated: true, sweepIntervalMs: 0 });
  const deletes: string[] = [];
  const request = tel.rest.request.bind(tel.rest);
  tel.rest.request = ((method, path, query, body) => {
    if (method === 'DELETE' && path.startsWith('/channels/')) deletes.push(path);
    return request(method, path, query, body);
  }) as typeof tel.rest.request;
  try {
    await tel.start();
    const call = await tel.originate({ endpoint: 'PJSIP/+31610000001@trunk', route: { kind: 'app', args: ['outbound', 'c1'] }, timeoutSec: 30 });
    assert.ok(await call.whenInStasis());
    let ended = 0;
    call.on('ended', () => ended++);
    await Promise.all([call.hangup(), call.hangup()]);
    await call.hangup();
    const info = await call.whenEnded();
    await call.hangup();
    assert.deepEqual(deletes, [`/channels/${call.id}`]);
    assert.equal(info.byApp, true);
    assert.equal(ended, 1);
    assert.equal(sim.asterisk.calls().find((r) => r.channelId === call.id)?.hungUpBy, 'app');
  } finally {
    await tel.stop();
    await sim.close();
  }
});
