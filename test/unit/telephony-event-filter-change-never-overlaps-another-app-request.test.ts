/**
 * Asterisk 22.10.1 aborted with heap corruption in stasis_app_event_filter_set (a core dump
 * of the real-Asterisk CI stage, docs/asterisk-ci.md "The event filter race"): a change of
 * the app's event filter that overlaps another request answering the app's JSON can free
 * the filter twice. The client keeps them apart (src/telephony/app-request-gate.ts) and
 * changes the filter only when Asterisk's differs from what it wants.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ScaledClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { startSim } from '../../src/sim/index.ts';
import { AriTelephony } from '../../src/telephony/index.ts';
import { AriRest } from '../../src/telephony/ari-rest.ts';

interface Seen { method: string; path: string; from: number; to: number }

/** An ARI stand-in that answers every request after 40 ms and notes when each was in Asterisk's hands. */
async function slowAri(t: { after(fn: () => unknown): void }): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const from = performance.now();
    req.resume();
    req.on('end', () => setTimeout(() => {
      seen.push({ method: req.method ?? '', path: (req.url ?? '').replace(/^\/ari/, '').replace(/\?.*$/, ''), from, to: performance.now() });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    }, 40));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => server.close(resolve)));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const overlaps = (a: Seen, b: Seen) => a.from < b.to && b.from < a.to;

test("a filter change is never in Asterisk's hands together with another request on the app; other requests are not held", async (t) => {
  const ari = await slowAri(t);
  const rest = new AriRest({ url: ari.url, user: 'u', password: 'p', requestTimeoutMs: 5000, maxConnections: 10 });
  t.after(() => rest.closeIdle());
  const app = '/applications/bereik';
  // What a connect sends at once: a look at the app and subscriptions, the filter, more looks, and calls.
  await Promise.all([
    rest.request('GET', app),
    rest.request('POST', `${app}/subscription`, { eventSource: 'endpoint:PJSIP/debtor' }),
    rest.request('PUT', `${app}/eventFilter`, undefined, { allowed: [{ type: 'StasisStart' }], disallowed: [] }),
    rest.request('GET', app),
    rest.request('POST', `${app}/subscription`, { eventSource: 'channel:c1' }),
    rest.request('GET', '/channels'),
    rest.request('GET', '/bridges'),
  ]);
  assert.equal(ari.seen.length, 7);
  const put = ari.seen.find((s) => s.method === 'PUT')!;
  for (const other of ari.seen.filter((s) => s !== put && s.path.startsWith('/applications'))) {
    assert.ok(!overlaps(put, other), `${other.method} ${other.path} overlapped the filter change`);
  }
  // The two requests sent before the filter change were answered before it went out; the two
  // after it waited for its answer. Channels and bridges were not held back.
  const appOnes = ari.seen.filter((s) => s.path.startsWith('/applications') && s !== put);
  assert.equal(appOnes.filter((s) => s.to <= put.from).length, 2);
  assert.equal(appOnes.filter((s) => s.from >= put.to).length, 2);
  const channels = ari.seen.find((s) => s.path === '/channels')!;
  assert.ok(overlaps(channels, put) || channels.to < put.from, 'a request outside the app is not queued behind the filter change');
  assert.ok(channels.from < put.from, 'GET /channels went out at once');
});

test('the client changes the filter once for a fresh Asterisk and not again on each reconnect or new client', async (t) => {
  const clock = new ScaledClock(10);
  const sim = await startSim({ port: 0, clock });
  t.after(() => sim.close());
  let changes = 0;
  const setFilter = sim.asterisk.hub.setFilter.bind(sim.asterisk.hub);
  sim.asterisk.hub.setFilter = (app, body) => (changes++, setFilter(app, body));
  const client = () => new AriTelephony({ url: sim.url, user: sim.user, password: sim.password, app: sim.app, clock, log: silentLogger(), simulated: true, reconnectMinMs: 50, reconnectMaxMs: 500, sweepIntervalMs: 0 });

  const first = client();
  await first.start();
  const filter = await (await fetch(`${sim.url}/ari/applications/${sim.app}`, { headers: { authorization: 'Basic ' + Buffer.from(`${sim.user}:${sim.password}`).toString('base64') } })).json() as { events_allowed: { type: string }[] };
  assert.ok(filter.events_allowed.some((f) => f.type === 'StasisStart'), 'the filter is set on the first connect');
  assert.equal(changes, 1);
  await first.stop();
  await first.start();
  const second = client();
  await second.start();
  await second.stop();
  await first.stop();
  assert.equal(changes, 1, 'the filter Asterisk already has is not sent again');
});
