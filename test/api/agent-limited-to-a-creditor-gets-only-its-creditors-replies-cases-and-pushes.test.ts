/**
 * An agent token limited to one creditor (docs/data-protection.md) on the routes whose cases
 * come from routing and replies, and on its desktop's pushes. Alma was put through to Anouk
 * (who owes Acme and Zeta) and to Zeger (who owes Zeta only); replies came from both. Limited
 * to Acme she sees Anouk's reply to Acme's text only, Anouk's transfer only, Acme's messages
 * only; the same agent without a limit sees all three replies and both transfers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sendAs, startTestApp } from '../helpers/app.ts';
import { createToken } from '../../src/http/tokens.ts';
import { seedCampaign } from '../unit/dialer-fixture.ts';
import { sqliteHandle } from '../../src/store/sqlite.ts';
import { desktop } from '../helpers/desk-socket.ts';

const NOW = '2026-11-23T09:00:00.000Z';

test('an agent limited to one creditor gets only that creditor’s replies, transfers and messages, over HTTP and on its desktop', async (t) => {
  const app = await startTestApp();
  t.after(() => app.close());
  const { store, clock } = app.app.deps;
  const db = sqliteHandle(store);
  const seeded = seedCampaign(db, { at: NOW, debtors: [{ phones: ['+31640000301'] }, { phones: ['+31640000302'] }] });
  const [anouk, zeger] = seeded.debtorIds as [number, number];
  db.prepare(`UPDATE claims SET creditor = CASE debtor_id WHEN ? THEN 'Acme' ELSE 'Zeta' END, invoice_ref = 'INV-' || id`).run(anouk);
  db.prepare(`UPDATE debtors SET name = CASE id WHEN ? THEN 'Anouk Acmesma' ELSE 'Zeger Zetstra' END`).run(anouk);
  const acmeClaim = db.prepare(`SELECT id FROM claims WHERE debtor_id = ?`).pluck().get(anouk) as number;
  const anoukOwesZeta = Number(db.prepare(`INSERT INTO claims (debtor_id, creditor, invoice_ref, amount_cents, created_at, updated_at) VALUES (?, 'Zeta', 'INV-ZETA-X', 999993, ?, ?)`).run(anouk, NOW, NOW).lastInsertRowid);

  const desk = app.app.deps.engine!.desk;
  const alma = desk.registry.create({ name: 'Alma', endpoint: 'PJSIP/agent7', skills: [] }).id;
  // Both debtors' calls were put through to Alma (the agent legs and the calls they came from).
  seeded.contactIds.forEach((contactId, i) => {
    const debtorId = seeded.debtorIds[i]!;
    db.prepare(`INSERT INTO calls (id, direction, campaign_id, contact_id, debtor_id, state, created_at) VALUES (?, 'outbound', ?, ?, ?, 'ended', ?)`).run(`out-${i}`, seeded.campaignId, contactId, debtorId, NOW);
    db.prepare(`INSERT INTO calls (id, direction, campaign_id, debtor_id, agent_id, parent_call_id, state, created_at) VALUES (?, 'agent', ?, ?, ?, ?, 'ended', ?)`).run(`leg-${i}`, seeded.campaignId, debtorId, alma, `out-${i}`, NOW);
  });
  const text = (debtorId: number, claimId: number, body: string) =>
    store.messages.queue({ channel: 'sms', source: 'api', debtorId, claimId, to: '+3164000030' + (debtorId === anouk ? 1 : 2), sender: 'number:+3197010587400', language: 'nl', body }, NOW);
  const acmeText = text(anouk, acmeClaim, 'Acme herinnering');
  const zetaText = text(anouk, anoukOwesZeta, 'SMS-ZETA-CLAIM');
  const reply = (debtorId: number, messageId: number | null, body: string) =>
    store.replies.recordInbound({ channel: 'sms', from: '+3164000030' + (debtorId === anouk ? 1 : 2), to: '+3197010587400', body, debtorId, messageId, intent: 'free_text', status: 'open' }, NOW);
  const acmeReply = reply(anouk, acmeText.id, 'Ik betaal vrijdag');
  const zetaReply = reply(anouk, zetaText.id, 'REPLY-ZETA-CLAIM');
  reply(zeger, null, 'REPLY-ZETA-DEBTOR');
  const zetas = ['Zetstra', 'INV-ZETA', '999993', 'SMS-ZETA', 'REPLY-ZETA'];
  const noneOfZetas = (body: string, what: string) => {
    for (const z of zetas) assert.ok(!body.includes(z), `${what} shows ${z}: ${body.slice(0, 300)}`);
  };

  const limited = createToken(store.tokens, clock, { name: 'alma-acme', role: 'agent', agentId: alma, creditors: ['Acme'] }).token;
  const every = createToken(store.tokens, clock, { name: 'alma', role: 'agent', agentId: alma }).token;
  const get = async (token: string, path: string) => {
    const res = await sendAs(app, token, 'GET', path);
    if (token === limited) noneOfZetas(res.text, `GET ${path}`);
    return res;
  };

  // The inbox: 1 of 3 replies, and the badge counts 1.
  const inbox = JSON.parse((await get(limited, '/agent/inbox')).text) as { count: number; items: { id: number }[] };
  assert.deepEqual([inbox.count, inbox.items.map((r) => r.id)], [1, [acmeReply.id]]);
  assert.equal((JSON.parse((await get(every, '/agent/inbox')).text) as { count: number }).count, 3);
  const took = await sendAs(app, limited, 'POST', `/agent/inbox/${zetaReply.id}/take`, {});
  assert.equal(took.status, 404, took.text);
  noneOfZetas(took.text, 'taking the reply about Zeta');

  // Transfers: Anouk's only (Zeger's call was about Zeta's claim).
  const cases = (text: string) => (JSON.parse(text) as { debtorId: number }[]).map((c) => c.debtorId);
  assert.deepEqual(cases((await get(limited, '/agent/cases')).text), [anouk]);
  assert.deepEqual(cases((await get(every, '/agent/cases')).text).sort(), [anouk, zeger].sort());

  // Messages of a debtor put through: Acme's text to Anouk, not the one about her Zeta claim; Zeger does not exist.
  const messages = JSON.parse((await get(limited, `/agent/debtors/${anouk}/messages`)).text) as { items: { id: number }[] };
  assert.deepEqual(messages.items.map((m) => m.id), [acmeText.id]);
  assert.equal((await get(limited, `/agent/debtors/${zeger}/messages`)).status, 404);
  // A pay link names one of Acme's claims: without one it would ask for Zeta's too.
  const noClaim = await sendAs(app, limited, 'POST', `/agent/debtors/${anouk}/messages`, { channel: 'sms', kind: 'paylink' });
  assert.equal(noClaim.status, 422, noClaim.text);
  const zetaClaim = await sendAs(app, limited, 'POST', `/agent/debtors/${anouk}/messages`, { channel: 'sms', kind: 'paylink', claimId: anoukOwesZeta });
  assert.equal(zetaClaim.status, 404, zetaClaim.text);

  // The desktop: a reply about Zeta reaches the unlimited desktop, not the limited one; Acme's reaches both, with each one's count.
  const mine = await desktop(app.url, limited);
  const all = await desktop(app.url, every);
  t.after(() => (mine.ws.close(), all.ws.close()));
  await Promise.all([mine.next((m) => m.type === 'hello'), all.next((m) => m.type === 'hello')]);
  const feed = app.app.deps.inboxFeed!;
  feed.emit('reply', store.replies.inbound(zetaReply.id)!);
  feed.emit('reply', store.replies.inbound(acmeReply.id)!);
  const pushed = await all.next((m) => m.type === 'inbox' && m.row?.id === acmeReply.id);
  assert.equal(pushed.count, 3);
  assert.ok(all.msgs.some((m) => m.type === 'inbox' && m.row?.id === zetaReply.id), 'the unlimited desktop hears of the reply about Zeta');
  const ours = await mine.next((m) => m.type === 'inbox' && m.row?.id === acmeReply.id);
  assert.equal(ours.count, 1);
  assert.deepEqual(mine.msgs.filter((m) => m.type === 'inbox').map((m) => m.row?.id), [acmeReply.id], 'the limited desktop heard only of Acme’s reply');
  noneOfZetas(JSON.stringify(mine.msgs), 'the limited desktop');
});
