/**
 * The WhatsApp channel against the simulated Graph endpoint over HTTP: what the handset gets,
 * what the statuses become, and how Meta's refusals land in the outbox's terms.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { OutgoingWhatsApp } from '../../src/messaging/types.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { createWhatsAppChannel } from '../../src/messaging/whatsapp/cloud-channel.ts';
import { APP_SECRET, startWhatsAppPair, until } from './helpers/whatsapp-pair.ts';

const TO = '+31612345678';
const template = (to = TO, id = 1): OutgoingWhatsApp => ({
  messageId: id,
  to,
  content: { kind: 'template', template: { name: 'betaallink', language: 'nl', params: ['Woonstad Noord', '€ 123,45', 'https://bereik.example/p/abc'] } },
});
const text = (body: string, to = TO): OutgoingWhatsApp => ({ messageId: 2, to, content: { kind: 'text', text: body } });

test('a template reaches the handset with its parameters and comes back delivered (sent, delivered, read)', async (t) => {
  const p = await startWhatsAppPair();
  t.after(() => p.close());
  const r = await p.channel.submit(template());
  assert.ok(r.ok, JSON.stringify(r));
  assert.match(r.providerId, /^wamid\./);
  assert.deepEqual(p.sim.inbox(TO).map((m) => m.template), [{ name: 'betaallink', language: 'nl', params: ['Woonstad Noord', '€ 123,45', 'https://bereik.example/p/abc'] }]);
  await until('three statuses', () => p.receipts.length === 3);
  assert.deepEqual(p.receipts.map((x) => [x.providerId, x.state, x.errorCode]), [
    [r.providerId, 'ACCEPTD', '000'],
    [r.providerId, 'DELIVRD', '000'],
    [r.providerId, 'DELIVRD', '000'], // read: also delivered; the outbox applies the first only
  ]);
});

test('a number not on WhatsApp: taken, then failed with 131026 by status', async (t) => {
  const p = await startWhatsAppPair();
  t.after(() => p.close());
  const r = await p.channel.submit(template('+31612345699'));
  assert.ok(r.ok);
  const failed = await until('the failed status', () => p.receipts.find((x) => x.state === 'UNDELIV'));
  assert.equal(failed.errorCode, 'WA_131026');
});

test('429 is retried after Retry-After, and the next send goes', async (t) => {
  const p = await startWhatsAppPair();
  t.after(() => p.close());
  p.sim.faults.throttleNext = 1;
  p.sim.faults.retryAfterSec = 3;
  assert.deepEqual(await p.channel.submit(template()), {
    ok: false, kind: 'retry', code: 'WA_130429', reason: 'Graph answered 429 with error 130429: Rate limit hit', retryAfterMs: 3000,
  });
  assert.equal(p.sim.inbox(TO).length, 0);
  assert.ok((await p.channel.submit(template())).ok);
});

test("Meta's refusals: rate limits and 5xx retry, a dead number, a closed window, template and parameter errors are permanent", async (t) => {
  const p = await startWhatsAppPair();
  t.after(() => p.close());
  const rows: Array<[{ status: number; code: number }, 'retry' | 'permanent', string]> = [
    [{ status: 400, code: 131026 }, 'permanent', 'WA_131026'],
    [{ status: 400, code: 131047 }, 'permanent', 'WA_131047'],
    [{ status: 404, code: 132001 }, 'permanent', 'WA_132001'],
    [{ status: 400, code: 132015 }, 'permanent', 'WA_132015'],
    [{ status: 400, code: 100 }, 'permanent', 'WA_100'],
    [{ status: 400, code: 4 }, 'retry', 'WA_4'],
    [{ status: 400, code: 80007 }, 'retry', 'WA_80007'],
    [{ status: 400, code: 131048 }, 'retry', 'WA_131048'],
    [{ status: 400, code: 131056 }, 'retry', 'WA_131056'],
    [{ status: 503, code: 2 }, 'retry', 'WA_2'],
  ];
  for (const [refusal, kind, code] of rows) {
    p.sim.faults.errorNext.push(refusal);
    const r = await p.channel.submit(template());
    assert.equal(r.ok, false, code);
    if (!r.ok) assert.deepEqual([r.kind, r.code], [kind, code], `${refusal.status} / ${refusal.code}`);
  }
  p.sim.faults.fail500Next = 1;
  const r = await p.channel.submit(template());
  assert.ok(!r.ok && r.kind === 'retry' && r.code === 'WA_1');
  assert.equal(p.sim.inbox(TO).length, 0, 'nothing refused reached the handset');
});

test('a free text outside the 24-hour window is refused before Graph; inside it (after the debtor wrote) it goes', async (t) => {
  const p = await startWhatsAppPair();
  t.after(() => p.close());
  const refused = await p.channel.submit(text('Wij bellen u morgen.'));
  assert.ok(!refused.ok && refused.kind === 'permanent' && refused.code === 'WA_OUTSIDE_SERVICE_WINDOW', JSON.stringify(refused));
  assert.equal(p.sim.accepted, 0, 'no request spent on it');

  assert.equal(await p.sim.reply(TO, 'Kunt u mij bellen?'), 200);
  assert.deepEqual(p.inbound, [{ channel: 'whatsapp', from: TO, to: '+31970105874', body: 'Kunt u mij bellen?' }]);
  const sent = await p.channel.submit(text('Wij bellen u morgen.'));
  assert.ok(sent.ok, JSON.stringify(sent));
  assert.deepEqual(p.sim.inbox(TO).map((m) => [m.type, m.text]), [['text', 'Wij bellen u morgen.']]);

  p.clock.offset = 24 * 3_600_000 + 1000;
  const late = await p.channel.submit(text('Nog een vraag?'));
  assert.ok(!late.ok && late.code === 'WA_OUTSIDE_SERVICE_WINDOW', 'a day later the window is closed again');
  assert.ok((await p.channel.submit(template())).ok, 'a template may still go');
});

test('after a restart the window is known from the stored replies, not only from memory', async (t) => {
  const p = await startWhatsAppPair();
  t.after(() => p.close());
  await p.sim.reply(TO, 'Kunt u mij bellen?');
  const target = { graphUrl: p.sim.url, version: 'v21.0', phoneNumberId: '123456789', accessToken: 'token-for-tests', appSecret: APP_SECRET, verifyToken: 'vt', requestTimeoutMs: 5000, simulated: true };
  const wroteAt = p.clock.now();
  const restarted = createWhatsAppChannel(target, { clock: p.clock, log: silentLogger(), lastInboundAt: (e164) => (e164 === TO ? wroteAt : undefined) });
  const forgetful = createWhatsAppChannel(target, { clock: p.clock, log: silentLogger() });
  await restarted.start();
  await forgetful.start();
  t.after(() => Promise.all([restarted.stop(), forgetful.stop()]).then(() => {}));
  assert.ok((await restarted.submit(text('Wij bellen u morgen.'))).ok);
  assert.deepEqual(p.sim.inbox(TO).map((m) => m.text), ['Wij bellen u morgen.']);
  const r = await forgetful.submit(text('Wij bellen u morgen.'));
  assert.ok(!r.ok && r.code === 'WA_OUTSIDE_SERVICE_WINDOW', 'without the stored time the window counts as closed');
});

test('a quick-reply button arrives as its text; a webhook delivered twice is told once', async (t) => {
  const p = await startWhatsAppPair();
  t.after(() => p.close());
  p.sim.faults.duplicateStatuses = true;
  await p.sim.button(TO, 'STOP');
  assert.deepEqual(p.inbound.map((m) => m.body), ['STOP']);
});

test('no connection is a retry; no answer in time is uncertain (Graph may have taken it)', async (t) => {
  const p = await startWhatsAppPair({ target: { requestTimeoutMs: 300 } });
  t.after(() => p.close());
  p.sim.faults.slowMs = 1500;
  const slow = await p.channel.submit(template());
  assert.ok(!slow.ok && slow.kind === 'uncertain' && slow.code === 'WA_TIMEOUT', JSON.stringify(slow));
  p.sim.faults.slowMs = 0;

  const dead = await startWhatsAppPair({ target: { graphUrl: `http://127.0.0.1:${await closedPort()}` } });
  t.after(() => dead.close());
  const r = await dead.channel.submit(template());
  assert.ok(!r.ok && r.kind === 'retry' && r.code === 'WA_NETWORK', JSON.stringify(r));
  assert.equal(dead.channel.health().state, 'down');
});

test('a wrong access token is refused by Graph (401, code 190): permanent, nothing sent', async (t) => {
  const p = await startWhatsAppPair({ target: { accessToken: 'wrong' } });
  t.after(() => p.close());
  const r = await p.channel.submit(template());
  assert.ok(!r.ok && r.kind === 'permanent' && r.code === 'WA_190', JSON.stringify(r));
  assert.equal(p.sim.accepted, 0);
});

/** A loopback port nobody listens on (taken and given back). */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
