/**
 * From the agent desktop: the pay link by SMS or e-mail, or a short text, to a debtor whose
 * call was put through to the agent; what was sent with its status; a text measured before
 * it goes. A debtor never put through to the agent is 404, one that cannot be reached is
 * 422 MESSAGE_NOT_SENDABLE with the reason, and nothing is queued for either.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seedDebtor } from '../helpers/messages.ts';
import { OURS, deskWorld, until } from '../helpers/desk-world.ts';
import { desktop } from '../helpers/desk-socket.ts';

test('an agent sends the pay link by SMS and e-mail and a text to their debtor, and sees the SMS delivered and the e-mail handed over', async (t) => {
  const w = await deskWorld(t);
  const { store } = w.a.app.deps;
  const { smsc, mail } = w.a.app.deps.messaging!.sims;
  const anna = w.agent('Anna');
  const d = seedDebtor(store, { email: 'marieke@example.nl', claims: [{ cents: 45_600, payUrl: 'https://pay.example.nl/i/9' }] });
  w.putThrough(anna.id, d.debtorId);

  const sms = await w.as(anna.token, 'POST', `/agent/debtors/${d.debtorId}/messages`, { channel: 'sms', kind: 'paylink' });
  assert.equal(sms.status, 201, JSON.stringify(sms.body));
  assert.equal(sms.body.to, d.mobile.slice(0, -4) + '****');
  const [handset] = await until('the pay link at the handset', () => smsc!.inbox(d.mobile).length > 0 && smsc!.inbox(d.mobile));
  assert.equal(handset!.from, OURS);
  assert.match(handset!.text, /€ 456,00/);
  assert.match(handset!.text, /\/p\/[A-Za-z0-9_-]{22}/);

  const email = await w.as(anna.token, 'POST', `/agent/debtors/${d.debtorId}/messages`, { channel: 'email', kind: 'paylink' });
  assert.equal(email.status, 201, JSON.stringify(email.body));
  assert.equal(email.body.to, 'm***@e***.nl');
  await until('the e-mail', () => mail!.inbox('marieke@example.nl').length > 0);

  const text = await w.as(anna.token, 'POST', `/agent/debtors/${d.debtorId}/messages`, { channel: 'sms', kind: 'text', text: '  Zoals besproken: ik bel u morgen om 10:00.  ' });
  assert.equal(text.status, 201);
  await until('the text at the handset', () => smsc!.inbox(d.mobile).some((m) => m.text === 'Zoals besproken: ik bel u morgen om 10:00.'));

  // An SMS is delivered when its receipt says so; an e-mail is done when the relay took it (no receipts).
  const done = (m: any) => m.status === (m.channel === 'sms' ? 'delivered' : 'submitted');
  const items: any[] = await until('all three done', async () => {
    const r = await w.as(anna.token, 'GET', `/agent/debtors/${d.debtorId}/messages`);
    return r.body.items.length === 3 && r.body.items.every(done) && r.body.items;
  });
  assert.deepEqual(items.map((m) => [m.channel, m.source, m.agentId, m.status]), [
    ['sms', 'desktop', anna.id, 'delivered'],
    ['email', 'desktop', anna.id, 'submitted'],
    ['sms', 'desktop', anna.id, 'delivered'],
  ]);
  assert.equal(items[0].body, 'Zoals besproken: ik bel u morgen om 10:00.');
  const token = /\/p\/([A-Za-z0-9_-]{22})/.exec(handset!.text)![1]!;
  assert.match(items[2].body, /\/p\/…/, 'the desktop shows where the link goes');
  assert.ok(!JSON.stringify(items).includes(token), 'but not the token: an agent opening it would count as the debtor’s open');
  assert.ok(!JSON.stringify(items).includes(d.mobile) && !JSON.stringify(items).includes('marieke@'), 'addresses are masked');
});

test('a debtor not put through to the agent is 404; one that cannot be reached is 422 with the reason; nothing is queued', async (t) => {
  const w = await deskWorld(t);
  const { store } = w.a.app.deps;
  const anna = w.agent('Anna');
  const bram = w.agent('Bram');
  const brams = seedDebtor(store);
  w.putThrough(bram.id, brams.debtorId);
  const noLink = seedDebtor(store, { claims: [{ cents: 1_000, payUrl: null }] });
  const stopped = seedDebtor(store);
  for (const d of [noLink, stopped]) w.putThrough(anna.id, d.debtorId);
  store.replies.optOut('sms', stopped.mobile, 'reply', new Date().toISOString());

  for (const path of [`/agent/debtors/${brams.debtorId}/messages`, '/agent/debtors/999999/messages']) {
    const post = await w.as(anna.token, 'POST', path, { channel: 'sms', kind: 'paylink' });
    assert.equal(post.status, 404, path);
    assert.equal(post.body.error.code, 'NOT_FOUND');
    assert.equal((await w.as(anna.token, 'GET', path)).status, 404);
  }
  const cases: Array<[number, unknown, number, RegExp]> = [
    [noLink.debtorId, { channel: 'sms', kind: 'paylink' }, 422, /has no pay link \(NO_PAY_URL\)/],
    [stopped.debtorId, { channel: 'sms', kind: 'text', text: 'Hallo' }, 422, /opted out of SMS \(OPTED_OUT\)/],
    [stopped.debtorId, { channel: 'email', kind: 'text', text: 'Hallo' }, 400, /texts go by SMS/],
    [stopped.debtorId, { channel: 'sms', kind: 'text' }, 400, /body\/text is required/],
    [stopped.debtorId, { channel: 'fax', kind: 'paylink' }, 400, /channel/],
  ];
  for (const [debtorId, body, status, why] of cases) {
    const res = await w.as(anna.token, 'POST', `/agent/debtors/${debtorId}/messages`, body);
    assert.equal(res.status, status, JSON.stringify(body));
    assert.match(res.body.error.message, why);
    if (status === 422) assert.equal(res.body.error.code, 'MESSAGE_NOT_SENDABLE');
  }
  for (const d of [brams, noLink, stopped]) assert.deepEqual(store.messages.list({ debtorId: d.debtorId }), [], 'nothing queued');
});

test('a text is measured before it goes: GSM 7-bit parts, € as two septets, UCS-2 for an emoji', async (t) => {
  const w = await deskWorld(t);
  const anna = w.agent('Anna');
  const measure = async (text: string) => (await w.as(anna.token, 'POST', '/agent/messages/measure', { text })).body;
  assert.deepEqual(await measure('Hallo'), { encoding: 'gsm7', units: 5, parts: 1, perPart: 160 });
  assert.equal((await measure('€'.repeat(80))).units, 160);
  assert.equal((await measure('a'.repeat(161))).parts, 2);
  assert.equal((await measure('Dank u 🙂')).encoding, 'ucs2');
  const operator = await w.a.api('/agent/messages/measure', { method: 'POST', json: { text: 'x' } });
  assert.equal(operator.status, 403, 'an operator has /messages/measure; this one is the agent’s');
});

test('a pay link past the cap of 3 a week waits, and the agent’s desktop is told why', async (t) => {
  const w = await deskWorld(t);
  const { store } = w.a.app.deps;
  const smsc = w.a.app.deps.messaging!.sims.smsc!;
  const anna = w.agent('Anna');
  const d = seedDebtor(store);
  w.putThrough(anna.id, d.debtorId);
  const desk = await desktop(w.a.url, anna.token);
  t.after(() => desk.ws.close());
  await desk.next((m) => m.type === 'hello');
  const ids: number[] = [];
  for (let i = 0; i < 4; i++) ids.push((await w.as(anna.token, 'POST', `/agent/debtors/${d.debtorId}/messages`, { channel: 'sms', kind: 'paylink' })).body.id);
  const waits = await desk.next((m) => m.type === 'message' && m.message.id === ids[3] && m.message.errorCode === 'CAP_REACHED');
  assert.equal(waits.message.status, 'queued');
  assert.match(waits.message.error, /3 messages on this channel in 7 days \(cap 3\)/);
  await until('three at the handset', () => smsc.inbox(d.mobile).length === 3);
  const listed = (await w.as(anna.token, 'GET', `/agent/debtors/${d.debtorId}/messages`)).body.items;
  assert.equal(listed[0].status, 'queued');
  assert.equal(listed[0].errorCode, 'CAP_REACHED');
});
