/**
 * The access audit (docs/data-protection.md): each kind of access to a debtor's data leaves
 * one entry naming the token, its role, the address and the debtor; admins read it by
 * debtor, token and period and export it as CSV; `bereik audit verify` passes on the
 * untouched chain and names the entry that was edited, or that follows a removed one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sendAs, startTestApp } from '../helpers/app.ts';
import { runBereik } from '../helpers/cli.ts';
import { desktop } from '../helpers/desk-socket.ts';
import { FakeClock } from '../../src/lib/clock.ts';
import { createToken } from '../../src/http/tokens.ts';
import { createCall } from '../../src/store/calls.ts';
import { seedCampaign } from '../unit/dialer-fixture.ts';
import { sqliteHandle } from '../../src/store/sqlite.ts';

const NOW = '2026-11-23T09:00:00.000Z';

test('every kind of access to a debtor is audited with who, from where and when, and verify catches an edited or removed entry', async (t) => {
  const clock = new FakeClock(NOW);
  const app = await startTestApp({ clock });
  t.after(() => app.close());
  const { store } = app.app.deps;
  const db = sqliteHandle(store);
  const { campaignId, debtorIds } = seedCampaign(db, { at: NOW, debtors: [{ phones: ['+31640000301'] }] });
  const debtor = debtorIds[0]!;
  db.prepare(`UPDATE debtors SET name = 'Petra Pieterse', external_ref = 'REF-PP' WHERE id = ?`).run(debtor);
  createCall(db, { id: 'call-pp', direction: 'outbound', campaignId, debtorId: debtor, createdAt: NOW, state: 'ended', toNumber: '+31640000301' });
  const operatorId = store.tokens.list().find((r) => r.name === 'test-operator')!.id;

  // Each access, as an operator (and one as an agent at the desktop).
  assert.equal((await app.api('/debtors?q=Petra')).status, 200);
  await clock.advance(60_000);
  assert.equal((await app.api(`/debtors/${debtor}/timeline`)).status, 200);
  assert.equal((await app.api(`/campaigns/${campaignId}/contacts`)).status, 200);
  assert.equal((await app.api('/calls')).status, 200);
  assert.equal((await app.api('/calls/call-pp')).status, 200);
  store.messages.queue({ channel: 'sms', source: 'api', debtorId: debtor, to: '+31640000301', sender: 'number:+3197010587400', language: 'nl', body: 'Betaal via de link' }, NOW);
  assert.equal((await app.api(`/messages?debtorId=${debtor}`)).status, 200);
  assert.equal((await app.api('/debtors/REF-PP/export', { role: 'admin' })).status, 200);

  // A screen pop: the agent's desktop shows the case of a call put through to them.
  const desk = app.app.deps.engine!.desk;
  const agent = desk.registry.create({ name: 'Dirk', endpoint: 'PJSIP/agent9', skills: [] }).id;
  const agentToken = createToken(store.tokens, clock, { name: 'dirk-desk', role: 'agent', agentId: agent }).token;
  const shown = { callId: 'call-pp', agentCallId: 'leg-pp', phase: 'talking', reason: 'menu', dtmfPath: '', claimId: null, claims: [], history: [], openCents: 0, whisper: '', startedAt: NOW, connectedAt: NOW, endedAt: null, debtor: { id: debtor } };
  (desk as unknown as { activeCase(id: number): unknown }).activeCase = (id: number) => (id === agent ? shown : undefined);
  const ws = await desktop(app.url, agentToken);
  t.after(() => ws.ws.close());
  await ws.next((m) => m.type === 'hello');
  const claim = (db.prepare(`SELECT id FROM claims WHERE debtor_id = ?`).get(debtor) as { id: number }).id;
  createCall(db, { id: 'leg-pp', direction: 'agent', parentCallId: 'call-pp', agentId: agent, debtorId: debtor, createdAt: NOW, state: 'ended' });
  const disp = await sendAs(app, agentToken, 'POST', '/agent/dispositions', { claimId: claim, callId: 'call-pp', kind: 'other', note: 'rang back' });
  assert.equal(disp.status, 201, disp.text);

  // Erasure (forced: the claim is open) is audited with its reason.
  const erased = await app.api('/debtors/REF-PP/erase', { method: 'POST', role: 'admin', json: { force: true, reason: 'court order 2026-17' } });
  assert.equal(erased.status, 200, await erased.clone().text());

  const res = await app.api(`/audit?debtor=${debtor}`, { role: 'admin' });
  const { items } = (await res.json()) as { items: { access: string; tokenName: string; role: string; address: string; at: string; detail: Record<string, unknown> }[] };
  const kinds = items.map((e) => e.access);
  for (const k of ['debtor_search', 'debtor_view', 'contact_list', 'call_list', 'call_view', 'message_list', 'subject_export', 'screen_pop', 'disposition', 'erasure']) {
    assert.ok(kinds.includes(k), `an entry for ${k}: ${kinds.join(', ')}`);
  }
  const view = items.find((e) => e.access === 'debtor_view')!;
  assert.equal(view.tokenName, 'test-operator');
  assert.equal(view.role, 'operator');
  assert.equal(view.address, '127.0.0.1');
  assert.equal(view.at, '2026-11-23T09:01:00.000Z');
  assert.equal(items.find((e) => e.access === 'screen_pop')!.tokenName, 'dirk-desk');
  assert.deepEqual(items.find((e) => e.access === 'erasure')!.detail.reason, 'court order 2026-17');
  // Nothing searched for is kept: the audit names debtors by id, not by what was typed.
  assert.ok(!JSON.stringify(items).includes('Petra'));

  // By token and by period.
  const byToken = (await (await app.api(`/audit?token=${operatorId}`, { role: 'admin' })).json()) as { items: { tokenName: string }[] };
  assert.ok(byToken.items.length >= 5 && byToken.items.every((e) => e.tokenName === 'test-operator'));
  const firstMinute = (await (await app.api('/audit?from=2026-11-23T09:00:00Z&to=2026-11-23T09:01:00Z', { role: 'admin' })).json()) as { items: { access: string }[] };
  assert.deepEqual(firstMinute.items.map((e) => e.access), ['debtor_search']);
  const csv = await (await app.api(`/audit?debtor=${debtor}&format=csv`, { role: 'admin' })).text();
  assert.match(csv.split('\r\n')[0]!, /^id,at,tokenId,tokenName,role,address,debtorId,access,detail,prevHash,hash$/);
  assert.ok(csv.includes('debtor_view'));
  // Only an admin reads the audit.
  assert.equal((await app.api('/audit')).status, 403);

  // verify: holds now; an edited entry and a removed entry are each named.
  const verify = () => runBereik(['audit', 'verify'], { BEREIK_DB_PATH: app.dbPath, BEREIK_LOG_LEVEL: 'warn' });
  const ok = await verify();
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /entries, the hash chain holds/);

  const victim = (db.prepare(`SELECT id FROM audit_log WHERE access = 'debtor_view'`).get() as { id: number }).id;
  db.exec(`DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;`);
  db.prepare(`UPDATE audit_log SET token_name = 'someone else' WHERE id = ?`).run(victim);
  const edited = await verify();
  assert.equal(edited.status, 1);
  assert.match(edited.stderr, new RegExp(`entry ${victim} was edited.*AUDIT_CHAIN_BROKEN`));

  db.prepare(`UPDATE audit_log SET token_name = 'test-operator' WHERE id = ?`).run(victim);
  assert.equal((await verify()).status, 0, 'restored, the chain holds again');
  db.prepare(`DELETE FROM audit_log WHERE id = ?`).run(victim);
  const removed = await verify();
  assert.equal(removed.status, 1);
  assert.match(removed.stderr, new RegExp(`entry ${victim + 1} follows a removed entry`));
});

test('the audit cannot be changed through SQL while its triggers stand', async (t) => {
  const app = await startTestApp();
  t.after(() => app.close());
  const db = sqliteHandle(app.app.deps.store);
  app.app.deps.store.audit.append({ tokenId: 1, tokenName: 'x', role: 'admin', address: null }, '2026-11-23T09:00:00.000Z', [{ debtorId: 1, access: 'debtor_view' }]);
  assert.throws(() => db.prepare(`UPDATE audit_log SET role = 'operator'`).run(), /append-only/);
  assert.throws(() => db.prepare(`DELETE FROM audit_log`).run(), /append-only/);
});
