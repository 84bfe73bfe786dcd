/**
 * WhatsApp end to end over the real wires: the API queues a pay link, the outbox sends it
 * as a template through Bereik's Graph client to the simulated Cloud API, the signed status
 * webhooks come back to Bereik's own route, and the handset's STOP opts the number out of
 * WhatsApp (and only WhatsApp). The clock runs in real time from a Monday 10:00 in
 * Amsterdam, inside the sending window.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ScaledClock } from '../../src/lib/clock.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { seedDebtor } from '../helpers/messages.ts';
import { MONDAY_10_AMSTERDAM, until } from '../helpers/until.ts';



async function start(t: { after(fn: () => Promise<void>): void }): Promise<TestApp> {
  const a = await startTestApp({ telephony: false, messaging: {}, clock: new ScaledClock(1, MONDAY_10_AMSTERDAM) });
  t.after(() => a.close());
  return a;
}

test('a pay link by WhatsApp goes as the approved template, is delivered, and STOP opts the number out of WhatsApp only', async (t) => {
  const a = await start(t);
  const { store } = a.app.deps;
  const graph = a.app.deps.messaging!.sims.whatsapp!;
  const d = seedDebtor(store, { claims: [{ cents: 12_345, payUrl: 'https://pay.example.nl/i/77' }] });

  const res = await a.api(`/debtors/${d.debtorId}/messages`, { method: 'POST', json: { channel: 'whatsapp', kind: 'paylink' } });
  assert.equal(res.status, 201);
  const queued = (await res.json()) as { id: number; body: string; template: { name: string; language: string; params: string[] } };
  assert.equal(queued.template.name, 'betaallink');
  assert.equal(queued.template.language, 'nl');
  assert.match(queued.body, /^Energie BV: er staat nog € 123,45 open\. Betaal veilig via http\S+\/p\/[A-Za-z0-9_-]{22}/, 'operators read the message as the debtor does');

  const [got] = await until('the template at the handset', () => graph.inbox(d.mobile).length > 0 && graph.inbox(d.mobile));
  assert.equal(got!.type, 'template');
  assert.deepEqual(got!.template!.params.slice(0, 2), ['Energie BV', '€ 123,45']);
  const link = got!.template!.params[2]!;
  assert.match(link, /\/p\/[A-Za-z0-9_-]{22}$/);
  await until('delivered', () => store.messages.get(queued.id)!.status === 'delivered');
  const list = (await (await a.api(`/messages?debtorId=${d.debtorId}&channel=whatsapp`)).json()) as { items: Array<{ providerId: string; status: string }> };
  assert.deepEqual(list.items.map((m) => m.status), ['delivered']);
  assert.match(list.items[0]!.providerId, /^wamid\./, 'the wamid Meta gave');
  const open = await fetch(a.url + link.slice(link.indexOf('/p/')), { redirect: 'manual' });
  assert.equal(open.headers.get('location'), 'https://pay.example.nl/i/77', 'the tracked link leads to the pay page');

  assert.equal(await graph.reply(d.mobile, 'stop'), 200);
  await until('opted out of WhatsApp', () => store.replies.isOptedOut('whatsapp', d.mobile));
  assert.equal(store.replies.isOptedOut('sms', d.mobile), false, 'a STOP on WhatsApp does not stop SMS');
  await until('the stop confirmation on WhatsApp', () => graph.inbox(d.mobile).some((m) => m.type === 'text' && /geen WhatsApp-berichten meer/.test(m.text)));
  const refused = await a.api(`/debtors/${d.debtorId}/messages`, { method: 'POST', json: { channel: 'whatsapp', kind: 'paylink' } });
  assert.equal(refused.status, 422);
  assert.match(((await refused.json()) as { error: { message: string } }).error.message, /opted out of WhatsApp/);
  assert.equal((await a.api(`/debtors/${d.debtorId}/messages`, { method: 'POST', json: { channel: 'sms', kind: 'paylink' } })).status, 201, 'SMS still may go');
});

test('a number not on WhatsApp fails with 131026; a throttled send waits and still goes once', async (t) => {
  const a = await start(t);
  const { store } = a.app.deps;
  const graph = a.app.deps.messaging!.sims.whatsapp!;
  const dead = seedDebtor(store, { mobile: '+31612345699' });
  const first = (await (await a.api(`/debtors/${dead.debtorId}/messages`, { method: 'POST', json: { channel: 'whatsapp', kind: 'paylink' } })).json()) as { id: number };
  const failed = await until('failed', () => { const m = store.messages.get(first.id)!; return m.status === 'failed' && m; });
  assert.equal(failed.errorCode, 'WA_131026');

  graph.faults.throttleNext = 1;
  graph.faults.retryAfterSec = 1;
  const d = seedDebtor(store);
  const second = (await (await a.api(`/debtors/${d.debtorId}/messages`, { method: 'POST', json: { channel: 'whatsapp', kind: 'paylink' } })).json()) as { id: number };
  await until('delivered after the throttle', () => store.messages.get(second.id)!.status === 'delivered');
  assert.equal(graph.inbox(d.mobile).length, 1, 'sent once');
  assert.equal(store.messages.get(second.id)!.attempts, 2);
});

test('a WhatsApp reply waits in the inbox and is answered on WhatsApp; a text to a debtor who never wrote is refused', async (t) => {
  const a = await start(t);
  const { store } = a.app.deps;
  const graph = a.app.deps.messaging!.sims.whatsapp!;
  const d = seedDebtor(store);
  const early = (await (await a.api(`/debtors/${d.debtorId}/messages`, { method: 'POST', json: { channel: 'whatsapp', kind: 'text', text: 'Hallo' } })).json()) as { id: number };
  const refused = await until('refused', () => { const m = store.messages.get(early.id)!; return m.status === 'failed' && m; });
  assert.equal(refused.errorCode, 'WA_OUTSIDE_SERVICE_WINDOW', 'only a template may start a conversation');
  assert.equal(graph.inbox(d.mobile).length, 0);

  const paylink = (await (await a.api(`/debtors/${d.debtorId}/messages`, { method: 'POST', json: { channel: 'whatsapp', kind: 'paylink' } })).json()) as { id: number };
  await until('delivered', () => store.messages.get(paylink.id)!.status === 'delivered');
  await graph.reply(d.mobile, 'Ik heb al betaald via de bank, vorige week.');
  const [row] = await until('the reply in the inbox', () => { const rows = store.replies.inbox({ status: 'waiting', debtorId: d.debtorId }); return rows.length === 1 && rows; });
  assert.equal(row!.channel, 'whatsapp');
  const answered = await a.api(`/inbox/${row!.id}/answer`, { method: 'POST', json: { text: 'Dank u, wij kijken het na.' } });
  assert.equal(answered.status, 201);
  await until('the answer on WhatsApp', () => graph.inbox(d.mobile).some((m) => m.type === 'text' && m.text === 'Dank u, wij kijken het na.'));
});
