/**
 * The agent desktop's inbox over REST and its socket: an agent sees the open replies of
 * debtors put through to them and the replies given to them; taking one takes it from a
 * colleague's inbox; answering sends an SMS to the number that wrote, from the number it
 * wrote to, and closes the reply; everything else answers 404. Over the real wires: the
 * built-in simulated SMSC, a clock running from a Monday 10:00 in Amsterdam.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seedDebtor } from '../helpers/messages.ts';
import { desktop } from '../helpers/desk-socket.ts';
import { MONDAY_10_AMSTERDAM, OURS, deskWorld, until } from '../helpers/desk-world.ts';

test('an agent sees the open replies of their debtors and those given to them; taking one takes it from a colleague', async (t) => {
  const w = await deskWorld(t);
  const { store } = w.a.app.deps;
  const anna = w.agent('Anna');
  const bram = w.agent('Bram');
  const shared = seedDebtor(store);
  const brams = seedDebtor(store);
  const nobodys = seedDebtor(store);
  w.putThrough(anna.id, shared.debtorId);
  w.putThrough(bram.id, shared.debtorId);
  w.putThrough(bram.id, brams.debtorId);
  const at = new Date(MONDAY_10_AMSTERDAM).toISOString();
  const reply = (d: typeof shared, body: string) =>
    store.replies.recordInbound({ channel: 'sms', from: d.mobile, to: OURS, body, debtorId: d.debtorId, messageId: null, intent: 'free_text', status: 'open' }, at).id;
  const fromShared = reply(shared, 'Ik heb al betaald via de bank');
  const fromBrams = reply(brams, 'Wie bent u?');
  const givenToAnna = reply(nobodys, 'Graag een factuur per post');
  const annaDesk = await desktop(w.a.url, anna.token);
  const bramDesk = await desktop(w.a.url, bram.token);
  t.after(() => (annaDesk.ws.close(), bramDesk.ws.close()));
  await annaDesk.next((m) => m.type === 'hello');
  await bramDesk.next((m) => m.type === 'hello');
  assert.equal((await w.a.api(`/inbox/${givenToAnna}/assign`, { method: 'POST', json: { agentId: anna.id } })).status, 200);
  const given = await annaDesk.next((m) => m.type === 'inbox' && m.row?.id === givenToAnna);
  assert.equal(given.count, 2, 'an operator gives Anna a reply: it pops up on her desktop');
  assert.ok(!bramDesk.msgs.some((m) => m.type === 'inbox'), 'Bram never had that debtor');

  const annas = await w.as(anna.token, 'GET', '/agent/inbox');
  assert.equal(annas.status, 200);
  assert.equal(annas.body.count, 2);
  assert.deepEqual(annas.body.items.map((i: any) => i.body), ['Graag een factuur per post', 'Ik heb al betaald via de bank']);
  const first = annas.body.items[1];
  assert.equal(first.from, shared.mobile.slice(0, -4) + '****', 'the desktop gets the number masked');
  assert.match(first.debtorName, /^Debtor \d+$/);
  assert.deepEqual((await w.as(bram.token, 'GET', '/agent/inbox')).body.items.map((i: any) => i.id), [fromBrams, fromShared]);

  const taken = await w.as(anna.token, 'POST', `/agent/inbox/${fromShared}/take`);
  assert.equal(taken.status, 200);
  assert.equal(taken.body.status, 'assigned');
  assert.equal(taken.body.agentId, anna.id);
  const dropped = await bramDesk.next((m) => m.type === 'inbox' && m.gone === fromShared);
  assert.equal(dropped.count, 1, 'Bram’s badge follows at once');
  assert.ok(!bramDesk.msgs.some((m) => m.type === 'inbox' && m.row?.id === fromShared), 'Bram is told it is gone, not what Anna holds');
  const bramsNow = (await w.as(bram.token, 'GET', '/agent/inbox')).body;
  assert.equal(bramsNow.count, 1);
  assert.deepEqual(bramsNow.items.map((i: any) => i.id), [fromBrams], 'Anna took the shared reply out of Bram’s inbox');
  for (const verb of ['take', 'close']) {
    const res = await w.as(bram.token, 'POST', `/agent/inbox/${fromShared}/${verb}`);
    assert.equal(res.status, 404, `Bram may not ${verb} the reply Anna holds`);
    assert.equal(res.body.error.code, 'NOT_FOUND');
  }
  assert.equal((await w.as(bram.token, 'POST', `/agent/inbox/${fromShared}/answer`, { text: 'Hallo' })).status, 404);
  assert.equal((await w.as(anna.token, 'POST', `/agent/inbox/${fromBrams}/take`)).status, 404, 'not Anna’s debtor');
  assert.equal((await w.as(anna.token, 'POST', `/agent/inbox/999999/take`)).status, 404);

  const closed = await w.as(anna.token, 'POST', `/agent/inbox/${givenToAnna}/close`);
  assert.equal(closed.status, 200);
  assert.equal(closed.body.status, 'closed');
  const again = await w.as(anna.token, 'POST', `/agent/inbox/${givenToAnna}/close`);
  assert.equal(again.status, 409);
  assert.match(again.body.error.message, /reply \d+ is closed/);
  assert.equal((await w.as(anna.token, 'GET', '/agent/inbox')).body.count, 1);
  assert.equal(store.replies.inbound(givenToAnna)!.agentId, anna.id, 'the closed reply says who dealt with it');
});

test('a free-text reply pops up on the desktop; the agent answers it by SMS to the number that wrote, and it leaves the inbox', async (t) => {
  const w = await deskWorld(t);
  const { store } = w.a.app.deps;
  const smsc = w.a.app.deps.messaging!.sims.smsc!;
  const anna = w.agent('Anna');
  const bram = w.agent('Bram');
  const d = seedDebtor(store);
  w.putThrough(anna.id, d.debtorId);
  const annaDesk = await desktop(w.a.url, anna.token);
  const bramDesk = await desktop(w.a.url, bram.token);
  t.after(() => (annaDesk.ws.close(), bramDesk.ws.close()));
  await annaDesk.next((m) => m.type === 'hello');
  await bramDesk.next((m) => m.type === 'hello');

  const sent = await w.as(anna.token, 'POST', `/agent/debtors/${d.debtorId}/messages`, { channel: 'sms', kind: 'paylink' });
  assert.equal(sent.status, 201);
  await until('the pay link at the handset', () => smsc.inbox(d.mobile).length === 1);
  await smsc.reply(d.mobile, OURS, 'Ik ben het niet eens met het bedrag, wie kan ik spreken?');
  const pushed = await annaDesk.next((m) => m.type === 'inbox' && m.row);
  assert.equal(pushed.count, 1);
  assert.equal(pushed.row.body, 'Ik ben het niet eens met het bedrag, wie kan ik spreken?');
  assert.equal(pushed.row.from, d.mobile.slice(0, -4) + '****');
  assert.ok(!JSON.stringify(annaDesk.msgs).includes(d.mobile), 'no full number over the socket');

  const answered = await w.as(anna.token, 'POST', `/agent/inbox/${pushed.row.id}/answer`, { text: 'Ik bel u om 14:00.' });
  assert.equal(answered.status, 201, JSON.stringify(answered.body));
  assert.equal(answered.body.source, 'desktop');
  assert.equal(answered.body.agentId, anna.id);
  const got = await until('the answer at the handset', () => smsc.inbox(d.mobile).find((m) => m.text === 'Ik bel u om 14:00.'));
  assert.equal(got.from, OURS, 'from the number the debtor wrote to, so the thread stays one');
  assert.equal(store.replies.inbound(pushed.row.id)!.status, 'closed');
  const gone = await annaDesk.next((m) => m.type === 'inbox' && m.gone === pushed.row.id);
  assert.equal(gone.count, 0);
  assert.deepEqual((await w.as(anna.token, 'GET', '/agent/inbox')).body, { count: 0, items: [] });
  // What the desk sent shows on her socket as it goes: her answer reaches delivered.
  await annaDesk.next((m) => m.type === 'message' && m.message.id === answered.body.id && m.message.status === 'delivered');
  assert.ok(!bramDesk.msgs.some((m) => m.type === 'inbox' || m.type === 'message'), 'Bram never had this debtor: he hears nothing of it');
  const again = await w.as(anna.token, 'POST', `/agent/inbox/${pushed.row.id}/answer`, { text: 'Nog iets' });
  assert.equal(again.status, 409, 'a closed reply is not answered twice');
});
