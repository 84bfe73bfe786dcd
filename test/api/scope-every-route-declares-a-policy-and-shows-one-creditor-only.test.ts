/**
 * Creditor scopes (docs/data-protection.md). The store holds two creditors, Acme and Zeta,
 * with debtors in a shared campaign and one campaign of Zeta's only. Tokens limited to Acme
 * (operator, client, agent) walk every route the app registered:
 *
 * - a route without a declared `config.scope` fails the walk, by name (declare it: see
 *   src/http/scope.ts for the four policies);
 * - every answer a limited token gets holds nothing of Zeta's (names, numbers, invoices,
 *   amounts, call ids), whatever the route answers: 200, 403 or 404;
 * - a route that answers across creditors refuses a limited token with 403 AUTH_SCOPE;
 * - a filtering route answers Acme's data (so the check is not vacuous) and 404 for Zeta's.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sendAs, startTestApp } from '../helpers/app.ts';
import { FakeClock } from '../../src/lib/clock.ts';
import { createToken } from '../../src/http/tokens.ts';
import { createCall } from '../../src/store/calls.ts';
import { seedCampaign } from '../unit/dialer-fixture.ts';
import { sqliteHandle } from '../../src/store/sqlite.ts';
import { SCOPE_POLICIES } from '../../src/http/scope.ts';
import { desktop } from '../helpers/desk-socket.ts';

const NOW = '2026-11-23T09:00:00.000Z';

/**
 * A route may wait on the clock (POST /agent/line rings the agent's phone): the test's
 * clock moves on while a request is unanswered, so every route answers.
 */
function sendMovingClock(clock: FakeClock): typeof sendAs {
  return async (...args) => {
    const pending = sendAs(...args);
    let answered = false;
    void pending.finally(() => (answered = true));
    await new Promise((resolve) => setTimeout(resolve, 5));
    while (!answered) {
      await clock.advance(250);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return pending;
  };
}

test('a token limited to one creditor sees only that creditor on every route, and every route declares its scope policy', async (t) => {
  const clock = new FakeClock(NOW);
  const send = sendMovingClock(clock);
  const app = await startTestApp({ clock });
  t.after(() => app.close());
  const { store } = app.app.deps;
  const db = sqliteHandle(store);

  // Campaign 1 holds one debtor of each creditor; campaign 2 is Zeta's only.
  const shared = seedCampaign(db, { at: NOW, name: 'shared', debtors: [{ phones: ['+31640000201'] }, { phones: ['+31640000202'] }] });
  const zetaOnly = seedCampaign(db, { at: NOW, name: 'zeta only', debtors: [{ phones: ['+31640000203'] }] });
  const people = [
    { id: shared.debtorIds[0]!, creditor: 'Acme', name: 'Anouk Acmesma', ref: 'REF-ACME-1', invoice: 'INV-ACME-1', cents: 111_111, contact: shared.contactIds[0]!, call: 'call-acme-1', campaign: shared.campaignId },
    { id: shared.debtorIds[1]!, creditor: 'Zeta', name: 'Zeger Zetstra', ref: 'REF-ZETA-1', invoice: 'INV-ZETA-1', cents: 999_991, contact: shared.contactIds[1]!, call: 'call-zeta-1', campaign: shared.campaignId },
    { id: zetaOnly.debtorIds[0]!, creditor: 'Zeta', name: 'Zoë Zandvoort', ref: 'REF-ZETA-2', invoice: 'INV-ZETA-2', cents: 999_992, contact: zetaOnly.contactIds[0]!, call: 'call-zeta-2', campaign: zetaOnly.campaignId },
  ];
  for (const p of people) {
    db.prepare(`UPDATE debtors SET name = ?, external_ref = ? WHERE id = ?`).run(p.name, p.ref, p.id);
    db.prepare(`UPDATE claims SET creditor = ?, invoice_ref = ?, amount_cents = ? WHERE debtor_id = ?`).run(p.creditor, p.invoice, p.cents, p.id);
    createCall(db, { id: p.call, direction: 'outbound', campaignId: p.campaign, contactId: p.contact, debtorId: p.id, createdAt: NOW, state: 'ended', toNumber: '+3164000020' + people.indexOf(p) });
    db.prepare(`UPDATE calls SET disposition = 'answered' WHERE id = ?`).run(p.call);
  }
  const [acme, zeta1, zeta2] = people as [typeof people[0], typeof people[0], typeof people[0]];
  // Acme's debtor owes Zeta too: a text and an agreement about that claim are Zeta's business.
  const owesBoth = Number(db.prepare(`INSERT INTO claims (debtor_id, creditor, invoice_ref, amount_cents, created_at, updated_at) VALUES (?, 'Zeta', 'INV-ZETA-3', 999993, ?, ?)`).run(acme.id, NOW, NOW).lastInsertRowid);
  const zetaSms = store.messages.queue({ channel: 'sms', source: 'api', debtorId: acme.id, claimId: owesBoth, to: '+31640000201', sender: 'number:+3197010587400', language: 'nl', body: 'SMS-ZETA-CLAIM' }, NOW);
  const acmeClaim = db.prepare(`SELECT id FROM claims WHERE debtor_id = ? AND creditor = 'Acme'`).pluck().get(acme.id) as number;
  const acmeSms = store.messages.queue({ channel: 'sms', source: 'api', debtorId: acme.id, claimId: acmeClaim, to: '+31640000201', sender: 'number:+3197010587400', language: 'nl', body: 'Acme herinnering' }, NOW);
  // The message a route names by id: Acme's own for Acme, the one about Zeta's claim for Zeta.
  const messageOf = (p: typeof acme) => (p === acme ? acmeSms.id : zetaSms.id);
  // A payment on each creditor's claim, and one nobody's yet (unmatched: a limited token never sees it).
  const pay = (claimId: number, note: string) =>
    db.prepare(`INSERT INTO payments (source, external_id, claim_id, debtor_id, amount_cents, currency, booked_on, description, status, created_at, updated_at)
                VALUES ('api', ?, ?, ?, 100, 'EUR', '2026-11-23', ?, ?, ?, ?)`).run(note, claimId, acme.id, note, 'matched', NOW, NOW).lastInsertRowid as number;
  const acmePayment = pay(acmeClaim, 'Acme betaling');
  const zetaPayment = pay(owesBoth, 'PAY-ZETA-CLAIM');
  db.prepare(`INSERT INTO payments (source, external_id, amount_cents, currency, booked_on, description, status, created_at, updated_at) VALUES ('api', 'loose', 100, 'EUR', '2026-11-23', 'PAY-ZETA-UNMATCHED', 'unmatched', ?, ?)`).run(NOW, NOW);
  const paymentOf = (p: typeof acme) => Number(p === acme ? acmePayment : zetaPayment);
  db.prepare(`INSERT INTO dispositions (claim_id, kind, amount_cents, note, created_at) VALUES (?, 'promise_to_pay', 999994, 'NOTE-ZETA', ?)`).run(owesBoth, NOW);
  // A recording of each person's call (docs/call-recordings.md), its file on disk.
  const recordingOf = new Map<number, number>();
  for (const p of people) {
    const id = store.callRecordings.started({ callId: p.call, agentCallId: null, agentId: null, campaignId: p.campaign, debtorId: p.id, name: `rec-${p.call}`, announced: false, at: NOW });
    const f = app.app.deps.recordingFiles!.write(`rec-${p.call}`, Buffer.from(`RIFF stand-in audio of ${p.call}`));
    store.callRecordings.stored(id, { ...f, durationSec: 3, at: NOW });
    recordingOf.set(p.id, id);
  }
  const zetas = ['Zetstra', 'Zandvoort', '+31640000202', '+31640000203', 'REF-ZETA', 'INV-ZETA', '999991', '999992', '999993', '999994', 'SMS-ZETA', 'NOTE-ZETA', 'PAY-ZETA', 'call-zeta', '"Zeta"'];

  const agentId = app.app.deps.engine!.desk.registry.create({ name: 'Alma', endpoint: 'PJSIP/agent7', skills: [] }).id;
  const make = (role: 'operator' | 'client' | 'agent' | 'supervisor') =>
    createToken(store.tokens, clock, { name: `acme-${role}`, role, creditors: ['Acme'], ...(role === 'agent' || role === 'supervisor' ? { agentId } : {}) }).token;
  const limited = { operator: make('operator'), client: make('client'), agent: make('agent'), supervisor: make('supervisor') };

  // Placeholders name Zeta's objects: a route that let a limited token through unfiltered would show them.
  const fill = (url: string, p: typeof acme) =>
    url
      .replace(/^\/calls\/:id/, `/calls/${p.call}`)
      .replace(/^\/debtors\/:ref/, `/debtors/${p.ref}`)
      .replace(/^\/debtors\/:id/, `/debtors/${p.id}`)
      .replace(/^\/campaigns\/:id/, `/campaigns/${p.campaign}`)
      .replace(/^\/messages\/:id/, `/messages/${messageOf(p)}`)
      .replace(/^\/payments\/:id/, `/payments/${paymentOf(p)}`)
      .replace(/^\/call-recordings\/:id/, `/call-recordings/${recordingOf.get(p.id)}`)
      .replace(/:contactId\b/, String(p.contact))
      .replace(/:id\b/, '1')
      .replace(/:file\b/, 'x');
  // Query strings the filtering GET routes need to find something.
  const QUERY: Record<string, (p: typeof acme) => string> = {
    'GET /debtors': (p) => `?q=${encodeURIComponent(p.name.slice(0, 3))}`,
    'GET /calls': () => '',
    'GET /reports/funnel': (p) => `?campaign=${p.campaign}&from=2026-11-23&to=2026-11-23`,
    'GET /reports/answer-rate': (p) => `?campaign=${p.campaign}&from=2026-11-23&to=2026-11-23`,
  };
  // Figures hold no names: the shared campaign's one Acme call is counted, Zeta's is not
  // (unfiltered they show 2), and Zeta's own campaign answers 404.
  const dialled = (text: string) => {
    const b = JSON.parse(text) as { steps?: { step: string; count: number }[]; byHour?: { dialled: number }[] };
    return b.steps ? b.steps.find((x) => x.step === 'dialled')!.count : b.byHour!.reduce((n, h) => n + h.dialled, 0);
  };
  const FIGURES = new Set(['GET /reports/funnel', 'GET /reports/answer-rate']);
  const noneOfZetas = (text: string, what: string) => {
    for (const m of zetas) assert.ok(!text.includes(m), `${what} shows ${m} of creditor Zeta: ${text.slice(0, 300)}`);
  };

  const routes = app.app.http.bereikRoutes;
  const undeclared = routes.filter((r) => r.roles !== 'public' && !r.scope).map((r) => `${r.method} ${r.url}`);
  assert.deepEqual(
    undeclared,
    [],
    `these routes declare no creditor-scope policy; add config.scope (one of ${SCOPE_POLICIES.join(', ')}; src/http/scope.ts) to each: ${undeclared.join(', ')}`,
  );

  let filteringRoutes = 0;
  for (const r of routes) {
    if (r.roles === 'public') continue;
    const key = `${r.method} ${r.url}`;
    await t.test(key, async () => {
      for (const [role, token] of Object.entries(limited)) {
        const allowed = (r.roles as string[]).includes(role);
        for (const target of [zeta1, zeta2]) {
          const path = fill(r.url, target) + (QUERY[key]?.(target) ?? '');
          const res = await send(app, token, r.method, path, r.method === 'GET' ? undefined : {});
          // A 404 may repeat the id the caller named; nothing else of Zeta's may show.
          noneOfZetas(res.text.replaceAll(target.call, '').replaceAll(target.ref, ''), `${role} limited to Acme on ${r.method} ${path} (${res.status})`);
          if (allowed && r.scope === 'all-creditors') {
            assert.equal(res.status, 403, `${role} on ${key}: ${res.text.slice(0, 200)}`);
            assert.equal((JSON.parse(res.text) as { error: { code: string } }).error.code, 'AUTH_SCOPE');
          }
          if (allowed && FIGURES.has(key)) {
            if (target === zeta2) assert.equal(res.status, 404, `${role} on ${path}: Zeta's campaign: ${res.text.slice(0, 200)}`);
            else assert.equal(dialled(res.text), 1, `${role} on ${path} counts Acme's call only: ${res.text.slice(0, 300)}`);
          }
          if (allowed && r.scope === 'creditor' && r.method === 'GET' && (r.url.includes(':') && !(r.url.startsWith('/campaigns/:id') && target === zeta1))) {
            // The shared campaign exists for Acme too (its contacts list is filtered, not refused).
            assert.equal(res.status, 404, `${role} on ${path} names Zeta's object: ${res.text.slice(0, 200)}`);
          }
        }
        if (allowed && r.scope === 'creditor' && r.method === 'GET') {
          const res = await send(app, token, r.method, fill(r.url, acme) + (QUERY[key]?.(acme) ?? ''));
          assert.equal(res.status, 200, `${role} on ${key} with Acme's object: ${res.text.slice(0, 200)}`);
          if (FIGURES.has(key)) assert.equal(dialled(res.text), 1, `${role} on ${key} counts Acme's call: ${res.text.slice(0, 300)}`);
          else assert.ok(/Acme|REF-ACME|call-acme|shared/.test(res.text), `${role} on ${key} shows Acme's data: ${res.text.slice(0, 200)}`);
          noneOfZetas(res.text, `${role} on ${key} with Acme's object`);
          filteringRoutes++;
        }
      }
    });
  }
  assert.ok(filteringRoutes >= 7, `${filteringRoutes} filtering route probes answered Acme's data`);

  // The same token without a limit sees both creditors (the filter is the scope, not the route).
  const all = await app.api('/campaigns/' + shared.campaignId + '/contacts');
  assert.ok(all.ok);
  const body = await all.text();
  assert.ok(body.includes('Zetstra') && body.includes('Acmesma'));
  for (const report of FIGURES) {
    const res = await app.api(`${report.slice(4)}?campaign=${shared.campaignId}&from=2026-11-23&to=2026-11-23`);
    assert.equal(dialled(await res.text()), 2, `${report} unlimited counts both creditors' calls`);
  }
});

test('a client token must name a creditor and an admin token cannot be limited', async (t) => {
  const app = await startTestApp();
  t.after(() => app.close());
  const { store, clock } = app.app.deps;
  assert.throws(() => createToken(store.tokens, clock, { name: 'c', role: 'client' }), /client token needs at least one creditor/);
  assert.throws(() => createToken(store.tokens, clock, { name: 'a', role: 'admin', creditors: ['Acme'] }), /admin token cannot be limited/);
  const t1 = createToken(store.tokens, clock, { name: 'c', role: 'client', creditors: ['Acme', 'Zeta', 'Acme'] });
  assert.deepEqual(store.tokens.list().find((r) => r.id === t1.id)?.creditors, ['Acme', 'Zeta']);
  // A client may read, never change.
  const res = await fetch(app.url + '/campaigns', { method: 'POST', headers: { authorization: `Bearer ${t1.token}`, 'content-type': 'application/json' }, body: '{}' });
  assert.equal(res.status, 403);
});

test('a desktop limited to one creditor gets no screen pop of another creditor’s case, and only its creditor’s claims of a shared one', async (t) => {
  const app = await startTestApp();
  t.after(() => app.close());
  const { store, clock } = app.app.deps;
  const desk = app.app.deps.engine!.desk;
  const agentId = desk.registry.create({ name: 'Alma', endpoint: 'PJSIP/agent7', skills: [] }).id;
  const token = createToken(store.tokens, clock, { name: 'alma', role: 'agent', agentId, creditors: ['Acme'] }).token;
  const claim = (id: number, creditor: string, cents: number) => ({ id, creditor, invoiceRef: `INV-${creditor}-${id}`, amountCents: cents, currency: 'EUR', dueDate: null, status: 'open' });
  const pop = (callId: string, claims: ReturnType<typeof claim>[]) => ({
    callId, agentCallId: `${callId}-leg`, phase: 'talking', reason: 'menu', dtmfPath: '', claimId: claims[0]!.id, claims, history: [],
    openCents: claims.reduce((n, c) => n + c.amountCents, 0), whisper: '', startedAt: NOW, connectedAt: NOW, endedAt: null, debtor: { id: 1, name: 'Gedeelde Schuldenaar' },
  });
  let onScreen: unknown = pop('call-zeta', [claim(9, 'Zeta', 999_991)]);
  (desk as unknown as { activeCase(id: number): unknown }).activeCase = () => onScreen;
  const ws = await desktop(app.url, token);
  t.after(() => ws.ws.close());
  const hello = await ws.next((m) => m.type === 'hello');
  assert.equal(hello.case, null, 'a case of Zeta only is not shown');

  onScreen = pop('call-shared', [claim(9, 'Zeta', 999_991), claim(3, 'Acme', 111_111)]);
  desk.emit('pop', agentId, onScreen as never);
  const shown = await ws.next((m) => m.type === 'case' && m.case !== null);
  assert.deepEqual(shown.case.claims.map((c: { creditor: string }) => c.creditor), ['Acme']);
  assert.equal(shown.case.openCents, 111_111);
  assert.equal(shown.case.claimId, null, 'the claim the call was about is Zeta’s: not named');
  assert.ok(!JSON.stringify(ws.msgs).includes('999991') && !JSON.stringify(ws.msgs).includes('INV-Zeta'));
  // The same case over HTTP.
  const me = await sendAs(app, token, 'GET', '/agent/me');
  assert.deepEqual((JSON.parse(me.text) as { case: { claims: { creditor: string }[] } }).case.claims.map((c) => c.creditor), ['Acme']);
  onScreen = pop('call-zeta', [claim(9, 'Zeta', 999_991)]);
  assert.equal((JSON.parse((await sendAs(app, token, 'GET', '/agent/me')).text) as { case: unknown }).case, null);
});
