/**
 * Messages end to end over the real wires: Bereik's SMPP client bound to the simulated
 * SMSC, its SMTP client talking to the test mail server, the public short links over HTTP.
 * The clock runs in real time from a Monday 10:00 in Amsterdam, inside the sending window.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ScaledClock } from '../../src/lib/clock.ts';
import { sqliteHandle } from '../../src/store/sqlite.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { seedDebtor } from '../helpers/messages.ts';
import { MONDAY_10_AMSTERDAM, until } from '../helpers/until.ts';



async function start(t: { after(fn: () => Promise<void>): void }): Promise<TestApp> {
  const a = await startTestApp({ telephony: false, messaging: {}, clock: new ScaledClock(1, MONDAY_10_AMSTERDAM) });
  t.after(() => a.close());
  return a;
}

test('a pay link by SMS reaches the handset with a link that records the open and leads to the pay page', async (t) => {
  const a = await start(t);
  const smsc = a.app.deps.messaging!.sims.smsc!;
  const d = seedDebtor(a.app.deps.store, { claims: [{ cents: 12_345, payUrl: 'https://pay.example.nl/i/77' }] });
  const res = await a.api(`/debtors/${d.debtorId}/messages`, { method: 'POST', json: { channel: 'sms', kind: 'paylink' } });
  assert.equal(res.status, 201);
  const sent = (await res.json()) as { id: number };
  const [handset] = await until('the SMS at the handset', () => smsc.inbox(d.mobile).length > 0 && smsc.inbox(d.mobile));
  assert.equal(handset!.from, '+3197010587400', 'from the configured number, so the debtor can answer');
  assert.match(handset!.text, /€ 123,45/);
  const link = /http:\/\/\S+\/p\/[A-Za-z0-9_-]{22}/.exec(handset!.text)?.[0];
  assert.ok(link, `a tracked link in: ${handset!.text}`);
  const path = link.slice(link.indexOf('/p/'));
  await until('the delivery receipt', () => a.app.deps.store.messages.get(sent.id)!.status === 'delivered');

  const open = await fetch(a.url + path, { redirect: 'manual' });
  assert.equal(open.status, 302);
  assert.equal(open.headers.get('location'), 'https://pay.example.nl/i/77');
  await fetch(a.url + path, { redirect: 'manual' });
  const one = (await (await a.api(`/messages/${sent.id}`)).json()) as { links: Array<{ kind: string; opens: number; firstOpenedAt: string | null }> };
  const pay = one.links.find((l) => l.kind === 'pay')!;
  assert.equal(pay.opens, 2, 'each open is counted on the message');
  assert.ok(pay.firstOpenedAt);
  assert.doesNotMatch(JSON.stringify(one.links), /[A-Za-z0-9_-]{22}/, 'the token itself is never shown');
  const unknown = await fetch(a.url + '/p/AAAAAAAAAAAAAAAAAAAAAA', { redirect: 'manual' });
  assert.equal(unknown.status, 404);
  assert.doesNotMatch(await unknown.text(), /pay\.example|Debtor|123/, 'no personal data on the 404 page');
  const list = (await (await a.api(`/messages?debtorId=${d.debtorId}`)).json()) as { items: Array<{ status: string; parts: number }> };
  assert.equal(list.items[0]!.status, 'delivered');
  assert.equal(list.items[0]!.parts, 2, 'the Dutch pay link with its reply invitation takes two parts');
});

test('a handset answering STOP, BETAALD, REGELING and free text: each lands where it should, with a confirmation', async (t) => {
  const a = await start(t);
  const { store } = a.app.deps;
  const smsc = a.app.deps.messaging!.sims.smsc!;
  const d = seedDebtor(store);
  const sent = (await (await a.api(`/debtors/${d.debtorId}/messages`, { method: 'POST', json: { channel: 'sms', kind: 'paylink' } })).json()) as { id: number };
  await until('delivered', () => store.messages.get(sent.id)!.status === 'delivered');
  const ours = '+3197010587400';

  await smsc.reply(d.mobile, ours, 'Regeling');
  await until('the arrangement confirmation', () => smsc.inbox(d.mobile).some((m) => /betalingsregeling/i.test(m.text) && !/Betaal via/.test(m.text)));
  const db = sqliteHandle(store);
  assert.deepEqual(db.prepare(`SELECT reason FROM callback_requests WHERE debtor_id = ?`).all(d.debtorId), [{ reason: 'arrangement_requested' }]);

  await smsc.reply(d.mobile, ours, 'Betáald!!');
  await until('the claim up for review', () => (db.prepare(`SELECT review_reason FROM claims WHERE debtor_id = ?`).get(d.debtorId) as { review_reason: string | null }).review_reason === 'debtor_says_paid');

  await smsc.reply(d.mobile, ours, 'Ik ben het niet eens met het bedrag, wie kan ik spreken?');
  const waiting = await until('three replies waiting for a person', () => {
    const rows = store.replies.inbox({ status: 'waiting', debtorId: d.debtorId });
    return rows.length === 3 && rows;
  });
  assert.deepEqual(waiting.map((r) => r.intent).sort(), ['arrangement', 'free_text', 'paid']);

  const free = waiting.find((r) => r.intent === 'free_text')!;
  const answered = await a.api(`/inbox/${free.id}/answer`, { method: 'POST', json: { text: 'Wij bellen u vandaag nog.' } });
  assert.equal(answered.status, 201);
  await until('the agent\'s answer at the handset', () => smsc.inbox(d.mobile).some((m) => m.text === 'Wij bellen u vandaag nog.'));

  await smsc.reply(d.mobile, ours, 'STOP');
  await until('the stop confirmation', () => smsc.inbox(d.mobile).some((m) => /geen sms meer/i.test(m.text) && !/Betaal via/.test(m.text)));
  assert.equal(store.replies.isOptedOut('sms', d.mobile), true);
  const refused = await a.api(`/debtors/${d.debtorId}/messages`, { method: 'POST', json: { channel: 'sms', kind: 'paylink' } });
  assert.equal(refused.status, 422, 'no more SMS to a number that said STOP');
  const err = ((await refused.json()) as { error: { code: string; message: string } }).error;
  assert.equal(err.code, 'MESSAGE_NOT_SENDABLE');
  assert.match(err.message, /opted out/);
});

test('a pay link by e-mail arrives with a one-click unsubscribe that opts the address out', async (t) => {
  const a = await start(t);
  const mail = a.app.deps.messaging!.sims.mail!;
  const d = seedDebtor(a.app.deps.store, { email: 'jan@example.nl' });
  const res = await a.api(`/debtors/${d.debtorId}/messages`, { method: 'POST', json: { channel: 'email', kind: 'paylink' } });
  assert.equal(res.status, 201);
  const [got] = await until('the e-mail', () => mail.inbox('jan@example.nl').length > 0 && mail.inbox('jan@example.nl'));
  assert.match(got!.subject, /\S/);
  assert.match(got!.text, /\/p\/[A-Za-z0-9_-]{22}/);
  const unsubscribe = /<(http[^>]+\/u\/[A-Za-z0-9_-]+)>/.exec(got!.headers['list-unsubscribe'] ?? '')?.[1];
  assert.ok(unsubscribe, `List-Unsubscribe in ${JSON.stringify(got!.headers)}`);
  assert.equal(got!.headers['list-unsubscribe-post'], 'List-Unsubscribe=One-Click');
  // http.publicUrl says where debtors reach Bereik; this test's server listens on a port of its own.
  const local = a.url + new URL(unsubscribe).pathname;
  const page = await fetch(local);
  assert.equal(page.status, 200, 'a GET only shows the button');
  assert.equal(a.app.deps.store.replies.isOptedOut('email', 'jan@example.nl'), false);
  const click = await fetch(local, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
  assert.equal(click.status, 200);
  assert.equal(a.app.deps.store.replies.isOptedOut('email', 'jan@example.nl'), true);
});
