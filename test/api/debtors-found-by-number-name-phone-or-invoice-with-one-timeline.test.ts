/**
 * GET /debtors?q= finds a debtor by debtor number, invoice, phone (in any form the import
 * accepts) or the start of the name, one page at a time; GET /debtors/:id/timeline shows
 * the debtor, their claims (open first) and everything that happened to them, newest
 * first, paged by cursor without losing or repeating an entry. Operators and admins only.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createCampaign, uploadRaw } from '../helpers/imports.ts';
import { createCall } from '../../src/store/calls.ts';
import { recordDisposition } from '../../src/store/dispositions.ts';
import { sqliteHandle } from '../../src/store/sqlite.ts';

const CSV = [
  'debiteurnummer;naam;telefoon;telefoon2;email;bedrag;factuurnummer',
  'D-100;Anna Jansen;06-12345671;020-7654321;anna@example.nl;100,00;F-1',
  'D-100;Anna Jansen;06-12345671;;anna@example.nl;250,00;F-2',
  'D-200;Annemiek de Boer;06-12345672;;;50,00;F-3',
  'D-300;Bram Bakker;06-12345673;;;75,00;F-4',
].join('\n');

interface Hit { id: number; externalRef: string; name: string; phones: string[]; openClaims: number; openCents: number }
interface Timeline { debtor: { name: string; phones: { e164: string; dnc: boolean }[]; claims: { invoiceRef: string; status: string; open: boolean }[] }; entries: { at: string; kind: string; id: string; detail: Record<string, unknown> }[]; nextCursor: string | null }

async function seeded(t: { after(fn: () => unknown): void }): Promise<{ app: TestApp; anna: number }> {
  const app = await startTestApp();
  t.after(() => app.close());
  const campaign = await createCampaign(app);
  assert.equal((await uploadRaw(app, campaign, CSV)).status, 201);
  const db = sqliteHandle(app.app.deps.store);
  const anna = (db.prepare(`SELECT id FROM debtors WHERE external_ref = 'D-100'`).get() as { id: number }).id;
  const [f1, f2] = (db.prepare(`SELECT id FROM claims WHERE debtor_id = ? ORDER BY invoice_ref`).all(anna) as { id: number }[]).map((c) => c.id);
  const agent = app.app.deps.store.agents.create({ name: 'Karin', endpoint: 'PJSIP/karin', skills: [] }, '2026-11-01T08:00:00.000Z').id;
  createCall(db, { id: 'call-1', direction: 'outbound', debtorId: anna, campaignId: campaign, toNumber: '+31612345671', state: 'ended', disposition: 'answered', amdStatus: 'HUMAN', dtmfPath: '1 2', result: 'paylink_sent', createdAt: '2026-11-23T09:00:00.000Z', answeredAt: '2026-11-23T09:00:05.000Z', endedAt: '2026-11-23T09:01:05.000Z' });
  createCall(db, { id: 'call-2', direction: 'inbound', debtorId: anna, fromNumber: '+31612345671', agentId: agent, state: 'ended', createdAt: '2026-11-24T10:00:00.000Z' });
  recordDisposition(db, { agentId: agent, claimId: f1!, debtorId: anna, callId: 'call-2', kind: 'promise_to_pay', promiseDate: '2026-12-01', amountCents: 10_000, now: '2026-11-24T10:05:00.000Z' });
  db.prepare(`INSERT INTO messages (channel, source, debtor_id, claim_id, to_addr, sender, body, status, next_attempt_at, created_at, updated_at) VALUES ('sms', 'ivr', ?, ?, '+31612345671', 'Incasso', 'Betaal via de link', 'delivered', ?, ?, ?)`)
    .run(anna, f2, '2026-11-23T09:01:10.000Z', '2026-11-23T09:01:10.000Z', '2026-11-23T09:01:10.000Z');
  db.prepare(`INSERT INTO inbound_messages (channel, from_addr, to_addr, body, debtor_id, intent, received_at) VALUES ('sms', '+31612345671', 'Incasso', 'STOP', ?, 'stop', '2026-11-25T08:00:00.000Z')`).run(anna);
  db.prepare(`INSERT INTO opt_outs (channel, address, source, created_at) VALUES ('sms', '+31612345671', 'reply', '2026-11-25T08:00:00.000Z')`).run();
  db.prepare(`INSERT INTO dnc (e164, reason, added_at) VALUES ('+31207654321', 'operator', '2026-11-25T09:00:00.000Z')`).run();
  db.prepare(`INSERT INTO payments (claim_id, debtor_id, amount_cents, booked_on, source, external_id, status, created_at, updated_at) VALUES (?, ?, 10000, '2026-11-26', 'api', 'psp-1', 'matched', '2026-11-26T12:00:00.000Z', '2026-11-26T12:00:00.000Z')`).run(f1, anna);
  return { app, anna };
}

const search = async (app: TestApp, q: string, extra = '') => (await (await app.api(`/debtors?q=${encodeURIComponent(q)}${extra}`)).json()) as { items: Hit[]; hasMore: boolean };

test('a debtor is found by debtor number, invoice, phone in any form, or the start of the name', async (t) => {
  const { app } = await seeded(t);
  const refsOf = async (q: string) => (await search(app, q)).items.map((h) => h.externalRef);
  assert.deepEqual(await refsOf('D-100'), ['D-100']);
  assert.deepEqual(await refsOf('F-2'), ['D-100']);
  assert.deepEqual(await refsOf('06-12345671'), ['D-100']);
  assert.deepEqual(await refsOf('+31 6 1234 5671'), ['D-100']);
  assert.deepEqual(await refsOf('0031612345671'), ['D-100']);
  assert.deepEqual(await refsOf('ann'), ['D-100', 'D-200'], 'a name prefix, case-insensitive, in name order');
  assert.deepEqual(await refsOf('ANNA'), ['D-100']);
  assert.deepEqual(await refsOf('Jansen'), [], 'a name matches from its start');
  assert.deepEqual(await refsOf('06-99999999'), []);
  const [anna] = (await search(app, 'D-100')).items;
  assert.deepEqual(anna!.phones, ['+31612345671', '+31207654321']);
  assert.equal(anna!.openClaims, 2);
  assert.equal(anna!.openCents, 35_000);
});

test('search answers one page at a time', async (t) => {
  const { app } = await seeded(t);
  const first = await search(app, 'Ann', '&limit=1');
  assert.deepEqual([first.items.map((h) => h.externalRef), first.hasMore], [['D-100'], true]);
  const second = await search(app, 'Ann', '&limit=1&offset=1');
  assert.deepEqual([second.items.map((h) => h.externalRef), second.hasMore], [['D-200'], false]);
  assert.equal((await app.api('/debtors?q=Ann&limit=101')).status, 400);
  const blank = await app.api('/debtors?q=%20%20');
  assert.equal(blank.status, 400);
  assert.match(((await blank.json()) as { error: { message: string } }).error.message, /q must not be blank/);
});

test("the timeline shows a debtor's calls, messages, replies, promise, opt-out, do-not-call and payment newest first, with their claims", async (t) => {
  const { app, anna } = await seeded(t);
  const res = await app.api(`/debtors/${anna}/timeline`);
  assert.equal(res.status, 200);
  const tl = (await res.json()) as Timeline;
  assert.equal(tl.debtor.name, 'Anna Jansen');
  assert.deepEqual(tl.debtor.phones.map((p) => [p.e164, p.dnc]), [['+31612345671', false], ['+31207654321', true]]);
  assert.deepEqual(tl.debtor.claims.map((c) => [c.invoiceRef, c.status, c.open]), [['F-1', 'promised', true], ['F-2', 'open', true]]);
  assert.deepEqual(tl.entries.map((e) => e.kind), ['payment', 'dnc', 'reply', 'opt_out', 'disposition', 'call', 'message', 'call']);
  const call = tl.entries.at(-1)!;
  assert.equal(call.id, 'call-1');
  assert.deepEqual({ ...call.detail }, { ...call.detail, direction: 'outbound', disposition: 'answered', amd: 'HUMAN', keys: '1 2', result: 'paylink_sent', durationSec: 60 });
  assert.equal(tl.entries.find((e) => e.kind === 'disposition')!.detail.agent, 'Karin');
  assert.equal(tl.entries.find((e) => e.id === 'call-2')!.detail.agent, 'Karin');
  assert.equal(tl.nextCursor, null);
});

test('the timeline pages by cursor: every entry once, in order', async (t) => {
  const { app, anna } = await seeded(t);
  const all = ((await (await app.api(`/debtors/${anna}/timeline`)).json()) as Timeline).entries.map((e) => e.kind + e.id);
  const seen: string[] = [];
  let cursor: string | null = '';
  while (cursor !== null) {
    const page = (await (await app.api(`/debtors/${anna}/timeline?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)).json()) as Timeline;
    assert.ok(page.entries.length <= 3);
    seen.push(...page.entries.map((e) => e.kind + e.id));
    cursor = page.nextCursor;
  }
  assert.deepEqual(seen, all);
});

test('debtor routes are for operators and admins: an agent token gets 403, no token 401, an unknown debtor 404', async (t) => {
  const { app, anna } = await seeded(t);
  for (const path of ['/debtors?q=D-100', `/debtors/${anna}/timeline`]) {
    assert.equal((await app.api(path, { role: 'agent' })).status, 403, path);
    assert.equal((await app.api(path, { role: null })).status, 401, path);
    assert.equal((await app.api(path, { role: 'admin' })).status, 200, path);
  }
  assert.equal((await app.api('/debtors/999999/timeline')).status, 404);
});
