import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../src/lib/clock.ts';
import { signWebhook } from '../../src/payments/webhook.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { AT, claimState, seedClaims } from '../helpers/payments.ts';

const SECRET = 'whsec_test_5c1b7e';

async function rig(t: { after(fn: () => Promise<void>): void }) {
  const clock = new FakeClock(Date.parse(AT));
  const h = await startTestApp({ clock, telephony: false, messaging: false, config: { payments: { webhookSecret: SECRET, webhookSecretFile: '' } } });
  t.after(() => h.close());
  const seeded = seedClaims(h.app.deps.store);
  const post = (body: string, headers: Record<string, string>) =>
    fetch(h.url + '/payments', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const signed = (body: object, o: { atMs?: number; secret?: string } = {}) => {
    const raw = JSON.stringify(body);
    const ts = String(Math.floor((o.atMs ?? clock.now()) / 1000));
    return { raw, headers: { 'x-bereik-timestamp': ts, 'x-bereik-signature': signWebhook(o.secret ?? SECRET, ts, raw) } };
  };
  return { h, clock, seeded, post, signed };
}

const code = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

test('a signed payment from the pay page pays the claim: matched, contact closed, queued SMS cancelled', async (t) => {
  const { h, seeded, post, signed } = await rig(t);
  const claimId = seeded.claims.get('INV-7001')!;
  const { raw, headers } = signed({ eventId: 'evt_1', claimId, amountCents: 20_000, paidAt: '2026-12-01T08:59:00Z', currency: 'EUR' });
  const res = await post(raw, headers);
  assert.equal(res.status, 200);
  const body = (await res.json()) as { status: string; payment: { source: string; matchedBy: string; bookedOn: string }; effect: { becamePaid: boolean } };
  assert.deepEqual([body.status, body.payment.source, body.payment.matchedBy, body.payment.bookedOn, body.effect.becamePaid], ['matched', 'api', 'claim_id', '2026-12-01', true]);
  assert.deepEqual(claimState(h.app.deps.store, claimId), { status: 'paid', amountCents: 20_000, paidCents: 20_000, contact: { status: 'done', result: 'paid' }, messages: ['cancelled'] });
});

test('by betalingskenmerk (spaces allowed); the same event id again with a fresh signature is a duplicate and changes nothing', async (t) => {
  const { h, seeded, post, signed, clock } = await rig(t);
  const event = { eventId: 'evt_2', paymentReference: '1234 5678 9012 3456', amountCents: 5_000, paidAt: '2026-12-01T08:00:00+01:00', currency: 'EUR' };
  const first = signed(event);
  assert.equal((await post(first.raw, first.headers)).status, 200);
  clock.advance(1000);
  const retry = signed(event);
  const res = await post(retry.raw, retry.headers);
  assert.equal(res.status, 200);
  assert.equal(((await res.json()) as { status: string }).status, 'duplicate');
  assert.equal(claimState(h.app.deps.store, seeded.claims.get('F2026-0001')!).paidCents, 5_000);
});

test('refused with 401 and a code: no signature, a wrong secret, a changed body, an old or future timestamp, the same request replayed', async (t) => {
  const { h, seeded, post, signed, clock } = await rig(t);
  const event = { eventId: 'evt_3', claimId: seeded.claims.get('F2026-0042')!, amountCents: 1_000, paidAt: '2026-12-01T08:00:00Z', currency: 'EUR' };
  const good = signed(event);
  assert.equal(await code(await post(good.raw, {})), 'PAYMENT_WEBHOOK_UNSIGNED');
  const wrongSecret = signed(event, { secret: 'not-the-secret' });
  let res = await post(wrongSecret.raw, wrongSecret.headers);
  assert.deepEqual([res.status, await code(res)], [401, 'PAYMENT_WEBHOOK_BAD_SIGNATURE']);
  res = await post(good.raw.replace('1000', '100000'), good.headers);
  assert.deepEqual([res.status, await code(res)], [401, 'PAYMENT_WEBHOOK_BAD_SIGNATURE']);
  const old = signed(event, { atMs: clock.now() - 5 * 60_000 - 1000 });
  res = await post(old.raw, old.headers);
  assert.deepEqual([res.status, await code(res)], [401, 'PAYMENT_WEBHOOK_STALE']);
  const ahead = signed(event, { atMs: clock.now() + 6 * 60_000 });
  res = await post(ahead.raw, ahead.headers);
  assert.deepEqual([res.status, await code(res)], [401, 'PAYMENT_WEBHOOK_STALE']);
  assert.equal((await post(good.raw, good.headers)).status, 200);
  res = await post(good.raw, good.headers);
  assert.deepEqual([res.status, await code(res)], [401, 'PAYMENT_WEBHOOK_REPLAYED']);
  // Nothing but the one good request was recorded.
  assert.equal(h.app.deps.store.payments.list({ source: 'api' }).length, 1);
});

test('a signed body that is not a payment is a 400 naming the field; without a configured secret the webhook is off (503)', async (t) => {
  const { post, signed } = await rig(t);
  const bad = signed({ eventId: 'evt_4', amountCents: 0, paidAt: 'yesterday', currency: 'EUR' });
  const res = await post(bad.raw, bad.headers);
  assert.equal(res.status, 400);
  assert.match(JSON.stringify(await res.json()), /amountCents/);
  const off: TestApp = await startTestApp({ telephony: false, messaging: false });
  t.after(() => off.close());
  const r = await fetch(off.url + '/payments', { method: 'POST', headers: { 'content-type': 'application/json', ...bad.headers }, body: bad.raw });
  assert.deepEqual([r.status, await code(r)], [503, 'PAYMENT_WEBHOOK_DISABLED']);
});
