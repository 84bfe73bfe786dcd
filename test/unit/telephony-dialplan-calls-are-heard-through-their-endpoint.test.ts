/**
 * A call sent into the AMD dialplan is not the app's until Stasis(). The client subscribes
 * the app to the endpoint the call goes out on before originating, so a far end that says
 * busy (486) or "no such number" (404) within a millisecond is still reported with its real
 * cause: the dialer can then retry busy numbers with the busy delay and stop calling numbers
 * that do not exist. Against the simulator, which forwards endpoint events as Asterisk does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { ScaledClock } from '../../src/lib/clock.ts';
import { BereikError } from '../../src/lib/errors.ts';
import { createLogger, silentLogger } from '../../src/lib/log.ts';
import { startSim, type RunningSim } from '../../src/sim/index.ts';
import { AriTelephony, type Call, type StasisEntry } from '../../src/telephony/index.ts';
import { endpointOfDialString } from '../../src/telephony/endpoint-subscriptions.ts';
import { RepeatFilter } from '../../src/telephony/repeat-filter.ts';

const BUSY = '+31611111103';
const UNKNOWN = '+31611111404';
const dialplan = { kind: 'dialplan', context: 'bereik-outbound' } as const;

function client(sim: RunningSim, clock: ScaledClock, log = silentLogger()): AriTelephony {
  return new AriTelephony({
    url: sim.url, user: sim.user, password: sim.password, app: sim.app, clock, log, simulated: true,
    reconnectMinMs: 50, reconnectMaxMs: 500, sweepIntervalMs: 0,
  });
}

async function withClient(fn: (tel: AriTelephony, sim: RunningSim, clock: ScaledClock) => Promise<void>, log = silentLogger()): Promise<void> {
  const clock = new ScaledClock(10);
  const sim = await startSim({ port: 0, clock });
  sim.asterisk.setBehaviour(BUSY, { outcome: 'busy', ringMs: 0 });
  sim.asterisk.setBehaviour(UNKNOWN, { outcome: 'invalid', ringMs: 0 });
  const tel = client(sim, clock, log);
  try {
    await tel.start();
    await fn(tel, sim, clock);
  } finally {
    await tel.stop();
    await sim.close();
  }
}

async function endOf(tel: AriTelephony, number: string): Promise<{ call: Call; cause: number; dialStatus?: string }> {
  const call = await tel.originate({ endpoint: `PJSIP/${number}@trunk`, route: dialplan, callerId: '+31201234567', timeoutSec: 30 });
  assert.equal(await call.whenInStasis(), null, 'the call never reached the app');
  const info = await call.whenEnded();
  return { call, cause: info.cause, dialStatus: info.dialStatus };
}

test('a number that is busy at once is reported busy (17) and one that does not exist unallocated (1), not "ended in the dialplan"', async () => {
  await withClient(async (tel, sim) => {
    assert.deepEqual(await endOf(tel, BUSY).then((r) => [r.cause, r.dialStatus]), [17, 'BUSY']);
    assert.equal((await endOf(tel, UNKNOWN)).cause, 1);
    const app = (await tel.rest.request<{ endpoint_ids: string[] }>('GET', `/applications/${sim.app}`));
    assert.deepEqual(app.endpoint_ids, ['PJSIP/trunk'], 'one subscription to the trunk serves every call');
  });
});

test('an inbound caller over the same trunk is offered once, after it reaches the app, and each key is heard once', async () => {
  await withClient(async (tel, sim, clock) => {
    await endOf(tel, BUSY); // the app now hears the trunk's channels
    const offered: StasisEntry[] = [];
    const keys: string[] = [];
    const answered = new Promise<Call>((resolve) =>
      tel.on('inbound', (call, entry) => {
        offered.push(entry);
        call.on('dtmf', (d) => keys.push(d));
        void call.answer().then(() => resolve(call));
      }),
    );
    await sim.asterisk.callIn({ from: '+31612345678', exten: '0201234567', behaviour: { keys: [{ atMs: 300, keys: '2', gapMs: 250 }, { atMs: 1000, keys: '#' }] } });
    const call = await answered;
    await clock.delay(2000);
    await call.hangup();
    await call.whenEnded();
    assert.deepEqual(offered, [{ kind: 'inbound', exten: '0201234567' }]);
    assert.deepEqual(keys, ['2', '#']);
  });
});

test('where Asterisk refuses the endpoint subscription, a warning is logged and a busy-after-ringing call is still followed by its channel', async () => {
  const lines: string[] = [];
  const log = createLogger({ level: 'warn', destination: new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }) });
  await withClient(async (tel, sim) => {
    const request = tel.rest.request.bind(tel.rest);
    tel.rest.request = (async (method: string, path: string, query?: Record<string, unknown>, body?: unknown) => {
      if (path.endsWith('/subscription') && String(query?.eventSource).startsWith('endpoint:')) {
        throw new BereikError('ARI_HTTP', 'Asterisk answered 422', { ariMessage: 'Event source does not exist' }, 422);
      }
      return request(method as 'GET', path, query as Record<string, string>, body);
    }) as typeof tel.rest.request;
    sim.asterisk.setBehaviour('+31611111177', { outcome: 'busy', ringMs: 3000 });
    const r = await endOf(tel, '+31611111177');
    assert.deepEqual([r.cause, r.dialStatus], [17, 'BUSY']);
    assert.ok(lines.some((l) => /endpoint subscription refused/.test(l)), 'the refusal is logged as a warning');
  }, log);
});

test('after Asterisk restarts, the client subscribes to the endpoint again before a busy call is lost', async () => {
  const clock = new ScaledClock(10);
  const first = await startSim({ port: 0, clock });
  const port = Number(new URL(first.url).port);
  const tel = client(first, clock);
  let second: RunningSim | undefined;
  try {
    await tel.start();
    first.asterisk.setBehaviour(BUSY, { outcome: 'busy', ringMs: 0 });
    assert.equal((await endOf(tel, BUSY)).cause, 17);
    await first.close();
    const back = new Promise<void>((resolve) => tel.on('reconciled', () => resolve()));
    second = await startSim({ port, clock });
    second.asterisk.setBehaviour(BUSY, { outcome: 'busy', ringMs: 0 });
    await back;
    assert.equal((await endOf(tel, BUSY)).cause, 17);
  } finally {
    await tel.stop();
    await first.close();
    await second?.close();
  }
});

test('the endpoint of a dial string is the trunk after @, or the named endpoint itself', () => {
  assert.equal(endpointOfDialString('PJSIP/+31611111103@trunk'), 'PJSIP/trunk');
  assert.equal(endpointOfDialString('PJSIP/trunk/sip:+31611111103@carrier.example'), 'PJSIP/trunk');
  assert.equal(endpointOfDialString('PJSIP/debtor'), 'PJSIP/debtor');
  assert.equal(endpointOfDialString('nonsense'), undefined);
});

test('a frame repeated byte for byte is dropped once; a different one passes', () => {
  const f = new RepeatFilter();
  assert.equal(f.admit('{"type":"ChannelDtmfReceived","digit":"1"}'), true);
  assert.equal(f.admit('{"type":"ChannelDtmfReceived","digit":"1"}'), false);
  assert.equal(f.admit('{"type":"ChannelDtmfReceived","digit":"2"}'), true);
});
