/**
 * POST /webhooks/whatsapp over real HTTP: only bodies signed with the app secret are read,
 * a signed body of the wrong shape is a 400 naming the field, and nothing throws out of the
 * handler. GET /webhooks/whatsapp answers Meta's subscription check with our verify token.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ScaledClock } from '../../src/lib/clock.ts';
import { signWhatsAppBody } from '../../src/messaging/whatsapp/webhook.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';

const SECRET = 'the-app-secret';
const MONDAY_10_AMSTERDAM = Date.parse('2026-11-23T09:00:00Z');

async function start(t: { after(fn: () => Promise<void>): void }): Promise<TestApp> {
  const a = await startTestApp({ telephony: false, messaging: {}, clock: new ScaledClock(1, MONDAY_10_AMSTERDAM), config: { whatsapp: { appSecret: SECRET, verifyToken: 'our-verify-token' } } });
  t.after(() => a.close());
  return a;
}

function post(a: TestApp, body: string, signature?: string): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (signature !== undefined) headers['x-hub-signature-256'] = signature;
  return fetch(`${a.url}/webhooks/whatsapp`, { method: 'POST', headers, body });
}
const signed = (a: TestApp, body: string) => post(a, body, signWhatsAppBody(SECRET, body));
const code = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error;

const wrap = (value: unknown) => JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field: 'messages', value }] }] });
const TEXT = wrap({ messaging_product: 'whatsapp', metadata: { display_phone_number: '31970105874', phone_number_id: '1' }, messages: [{ from: '31612345678', id: 'wamid.A', timestamp: '1795000000', type: 'text', text: { body: 'hallo' } }] });

test('a correctly signed webhook is read; a wrong or missing signature is 401 and changes nothing', async (t) => {
  const a = await start(t);
  const ok = await signed(a, TEXT);
  assert.equal(ok.status, 200);
  assert.deepEqual(await ok.json(), { receipts: 0, inbound: 1 });
  assert.equal(a.app.deps.store.replies.inbox({ status: 'waiting' }).length, 1, 'the free text waits for a person');

  const other = TEXT.replace('wamid.A', 'wamid.B');
  const bad = await post(a, other, signWhatsAppBody('another-secret', other));
  assert.equal(bad.status, 401);
  assert.equal((await code(bad)).code, 'WA_WEBHOOK_BAD_SIGNATURE');
  const tampered = await post(a, other, signWhatsAppBody(SECRET, TEXT));
  assert.equal((await code(tampered)).code, 'WA_WEBHOOK_BAD_SIGNATURE', 'the signature of another body');
  const garbage = await post(a, other, 'sha256=zz');
  assert.equal(garbage.status, 401);
  const missing = await post(a, other);
  assert.equal(missing.status, 401);
  assert.equal((await code(missing)).code, 'WA_WEBHOOK_UNSIGNED');
  const notJsonUnsigned = await post(a, '{{{');
  assert.equal(notJsonUnsigned.status, 401, 'an unsigned caller learns nothing about the body');
  assert.equal(a.app.deps.store.replies.inbox({ status: 'waiting' }).length, 1, 'nothing else landed');

  const again = await signed(a, TEXT);
  assert.deepEqual(await again.json(), { receipts: 0, inbound: 0 }, 'the same message delivered twice lands once');
});

test('signed bodies of the wrong shape are 400 naming the field, and the service goes on', async (t) => {
  const a = await start(t);
  const meta = { display_phone_number: '31970105874', phone_number_id: '1' };
  const rows: Array<[string, string, RegExp]> = [
    ['not JSON', '{"object":', /body: not valid JSON/],
    ['an array', '[]', /body: expected an object/],
    ['another object', JSON.stringify({ object: 'page', entry: [] }), /body\/object/],
    ['entry not an array', JSON.stringify({ object: 'whatsapp_business_account', entry: {} }), /body\/entry: expected an array/],
    ['a status without id', wrap({ metadata: meta, statuses: [{ status: 'delivered', timestamp: '1795000000' }] }), /statuses\/0\/id/],
    ['an unknown status', wrap({ metadata: meta, statuses: [{ id: 'wamid.X', status: 'exploded', timestamp: '1795000000' }] }), /statuses\/0\/status: expected sent, delivered, read or failed/],
    ['a failure code that is text', wrap({ metadata: meta, statuses: [{ id: 'wamid.X', status: 'failed', timestamp: '1', errors: [{ code: 'x' }] }] }), /errors\/0\/code/],
    ['a sender that is no number', wrap({ metadata: meta, messages: [{ from: 'abc', id: 'wamid.Y', timestamp: '1', type: 'text', text: { body: 'hi' } }] }), /messages\/0\/from/],
    ['a text without body', wrap({ metadata: meta, messages: [{ from: '31612345678', id: 'wamid.Y', timestamp: '1', type: 'text', text: {} }] }), /messages\/0\/text\/body/],
    ['a timestamp that is no time', wrap({ metadata: meta, messages: [{ from: '31612345678', id: 'wamid.Y', timestamp: 'yesterday', type: 'text', text: { body: 'x' } }] }), /messages\/0\/timestamp/],
    ['null value', wrap(null), /value: expected an object/],
  ];
  for (const [what, body, message] of rows) {
    const res = await signed(a, body);
    assert.equal(res.status, 400, what);
    const err = await code(res);
    assert.equal(err.code, 'WA_WEBHOOK_MALFORMED', what);
    assert.match(err.message, message, what);
  }
  const health = await fetch(`${a.url}/healthz`);
  assert.equal(health.status, 200, 'still serving');
  const fine = await signed(a, TEXT);
  assert.equal(fine.status, 200);
});

test("Meta's subscription check: the challenge echoed for our verify token only", async (t) => {
  const a = await start(t);
  const ok = await fetch(`${a.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=our-verify-token&hub.challenge=1158201444`);
  assert.equal(ok.status, 200);
  assert.equal(await ok.text(), '1158201444');
  const wrong = await fetch(`${a.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1`);
  assert.equal(wrong.status, 403);
  assert.equal((await code(wrong)).code, 'WA_WEBHOOK_VERIFY_FAILED');
  const mode = await fetch(`${a.url}/webhooks/whatsapp?hub.mode=unsubscribe&hub.verify_token=our-verify-token&hub.challenge=1`);
  assert.equal(mode.status, 403);
});

test('while the outbox is not listening (stopping), a signed webhook is 503 so Meta delivers it again, not 200 and lost', async (t) => {
  const a = await start(t);
  await a.app.deps.messaging!.outbox.stop();
  const res = await signed(a, TEXT);
  assert.equal(res.status, 503);
  assert.equal((await code(res)).code, 'WA_DISABLED');
  assert.equal(a.app.deps.store.replies.inbox({ status: 'waiting' }).length, 0);
});
