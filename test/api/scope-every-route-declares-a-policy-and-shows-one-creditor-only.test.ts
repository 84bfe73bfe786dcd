/**
 * Creditor scopes (docs/data-protection.md). The store holds two creditors, Acme and Zeta,
 * with debtors in a shared campaign, one campaign of Zeta's only and one of Acme's only, and
 * messages, replies, payments, imports, strategies and actions of both. Tokens limited to
 * Acme (operator, client, agent) walk every route the app registered:
 *
 * - a route without a declared `config.scope` fails the walk, by name (declare it: see
 *   src/http/scope.ts for the four policies);
 * - every answer a limited token gets holds nothing of Zeta's (names, numbers, invoices,
 *   amounts, call ids), whatever the route answers: 200, 403 or 404;
 * - a route that answers across creditors refuses a limited token with 403 AUTH_SCOPE;
 * - a filtering route answers Acme's data (so the check is not vacuous) and 404 for Zeta's,
 *   also when it acts on one object (BODY); each figure (FIGURES) equals Acme's rows alone,
 *   and the same figure for an unlimited token counts both creditors'.
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
import { MESSAGE_STATUSES } from '../../src/store/types.ts';
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
  // Imports belong to a campaign: Acme's own campaign (its imports are Acme's), the shared one
  // (an import's counts and rejected rows mix creditors: not shown) and Zeta's own. Each rejected a row.
  const acmeOnly = seedCampaign(db, { at: NOW, name: 'acme only', debtors: [{ phones: ['+31640000204'] }] });
  db.prepare(`UPDATE debtors SET name = 'Arend Acmeling', external_ref = 'REF-ACME-2' WHERE id = ?`).run(acmeOnly.debtorIds[0]);
  db.prepare(`UPDATE claims SET creditor = 'Acme', invoice_ref = 'INV-ACME-2' WHERE debtor_id = ?`).run(acmeOnly.debtorIds[0]);
  const importInto = (campaignId: number, rejected: string) => {
    const id = Number(db.prepare(`INSERT INTO imports (campaign_id, file_name, file_sha256, status, rows_total, rows_rejected, created_at) VALUES (?, ?, 'x', 'partial', 2, 1, ?)`).run(campaignId, `${rejected}.csv`, NOW).lastInsertRowid);
    db.prepare(`INSERT INTO import_errors (import_id, line, column_name, value, reason, raw) VALUES (?, 0, NULL, NULL, '(header)', ?)`).run(id, JSON.stringify(['debtor_ref', 'name', 'amount']));
    db.prepare(`INSERT INTO import_errors (import_id, line, column_name, value, reason, raw) VALUES (?, 3, 'amount', 'x', 'not an amount', ?)`).run(id, JSON.stringify([rejected, rejected, 'x']));
    return id;
  };
  const imported = { [acme.ref]: importInto(acmeOnly.campaignId, 'Acme-rejected'), [zeta1.ref]: importInto(shared.campaignId, 'IMPORT-ZETA-SHARED'), [zeta2.ref]: importInto(zetaOnly.campaignId, 'IMPORT-ZETA-OWN') };
  const importCampaignOf = (p: typeof acme) => (p === acme ? acmeOnly.campaignId : p.campaign);
  // Acme's debtor owes Zeta too: a text and an agreement about that claim are Zeta's business.
  const owesBoth = Number(db.prepare(`INSERT INTO claims (debtor_id, creditor, invoice_ref, amount_cents, created_at, updated_at) VALUES (?, 'Zeta', 'INV-ZETA-3', 999993, ?, ?)`).run(acme.id, NOW, NOW).lastInsertRowid);
  const zetaSms = store.messages.queue({ channel: 'sms', source: 'api', debtorId: acme.id, claimId: owesBoth, campaignId: shared.campaignId, to: '+31640000201', sender: 'number:+3197010587400', language: 'nl', body: 'SMS-ZETA-CLAIM' }, NOW);
  const acmeClaim = db.prepare(`SELECT id FROM claims WHERE debtor_id = ? AND creditor = 'Acme'`).pluck().get(acme.id) as number;
  const acmeSms = store.messages.queue({ channel: 'sms', source: 'api', debtorId: acme.id, claimId: acmeClaim, campaignId: shared.campaignId, to: '+31640000201', sender: 'number:+3197010587400', language: 'nl', body: 'Acme herinnering' }, NOW);
  // Zeta's debtor in the shared campaign gets a text too: the campaign's message figures count 3 messages, Acme's 1.
  store.messages.queue({ channel: 'sms', source: 'api', debtorId: zeta1.id, claimId: null, campaignId: shared.campaignId, to: '+31640000202', sender: 'number:+3197010587400', language: 'nl', body: 'SMS-ZETA-SHARED' }, NOW);
  // Replies: to Acme's text, to the text about Zeta's claim, and from Zeta's debtor about nothing in particular.
  const reply = (debtorId: number, messageId: number | null, from: string, body: string) =>
    store.replies.recordInbound({ channel: 'sms', from, to: '+3197010587400', body, debtorId, messageId, intent: 'free_text', status: 'open' }, NOW).id;
  const acmeReply = reply(acme.id, acmeSms.id, '+31640000201', 'Acme antwoord');
  const zetaReply = reply(acme.id, zetaSms.id, '+31640000201', 'REPLY-ZETA-CLAIM');
  reply(zeta1.id, null, '+31640000202', 'REPLY-ZETA-DEBTOR');
  const replyOf = (p: typeof acme) => (p === acme ? acmeReply : zetaReply);
  // The default strategy texted Acme's debtor once and Zeta's twice: the score per action and the arms count 1 and 3.
  app.app.deps.strategies!.installDefault();
  // Strategies: one for Zeta's debtors only, and one with a segment for each creditor.
  const steps = [{ day: 0, action: 'sms' }];
  app.app.deps.strategies!.save({ id: 'zeta-own', name: 'STRAT-ZETA', segments: [{ name: 'segzeta_own', match: { creditors: ['Zeta'] }, steps }] }, { activate: true });
  app.app.deps.strategies!.save({ id: 'mixed', name: 'Mixed', segments: [{ name: 'acme', match: { creditors: ['Acme', 'Zeta'] }, steps }, { name: 'segzeta', match: { creditors: ['Zeta'] }, steps }] }, { activate: true });
  const strategyOf = (p: typeof acme) => (p === acme ? 'mixed' : 'zeta-own');
  const zetaClaim = db.prepare(`SELECT id FROM claims WHERE debtor_id = ?`).pluck().get(zeta1.id) as number;
  for (const [debtorId, claimId, times] of [[acme.id, acmeClaim, 1], [zeta1.id, zetaClaim, 2]] as const) {
    db.prepare(`INSERT INTO strategy_assignments (debtor_id, strategy_id, strategy_version, started_on, assigned_at) VALUES (?, 'default', 1, '2026-11-23', ?)`).run(debtorId, NOW);
    for (let i = 0; i < times; i++) {
      db.prepare(`INSERT INTO actions (debtor_id, strategy_id, strategy_version, segment, step_index, action, channel, claim_ids, open_cents, planned_for, status, created_at, executed_at)
                  VALUES (?, 'default', 1, ?, ?, 'sms', 'sms', ?, 100, '2026-11-23', 'executed', ?, ?)`).run(debtorId, debtorId === acme.id ? 'Acme' : 'SEG-ZETA', i, JSON.stringify([claimId]), NOW, NOW);
    }
  }
  // An action planned for Acme's debtor about the claim it owes Zeta is Zeta's business.
  db.prepare(`INSERT INTO actions (debtor_id, strategy_id, strategy_version, segment, step_index, action, channel, claim_ids, open_cents, planned_for, status, created_at)
              VALUES (?, 'default', 1, 'SEG-ZETA-CLAIM', 0, 'sms', 'sms', ?, 999993, '2026-11-24', 'planned', ?)`).run(acme.id, JSON.stringify([owesBoth]), NOW);
  // The message a route names by id: Acme's own for Acme, the one about Zeta's claim for Zeta.
  const messageOf = (p: typeof acme) => (p === acme ? acmeSms.id : zetaSms.id);
  // A payment on each creditor's claim, and one nobody's yet (unmatched: a limited token never sees it).
  const pay = (claimId: number, note: string) =>
    db.prepare(`INSERT INTO payments (source, external_id, claim_id, debtor_id, amount_cents, currency, booked_on, description, status, created_at, updated_at)
                VALUES ('api', ?, ?, ?, 100, 'EUR', '2026-11-23', ?, ?, ?, ?)`).run(note, claimId, acme.id, note, 'matched', NOW, NOW).lastInsertRowid as number;
  const acmePayment = pay(acmeClaim, 'Acme betaling');
  const zetaPayment = pay(owesBoth, 'PAY-ZETA-CLAIM');
  const unmatched = (note: string) =>
    Number(db.prepare(`INSERT INTO payments (source, external_id, amount_cents, currency, booked_on, description, status, created_at, updated_at) VALUES ('api', ?, 100, 'EUR', '2026-11-23', ?, 'unmatched', ?, ?)`).run(note, note, NOW, NOW).lastInsertRowid);
  const zetaLoose = unmatched('PAY-ZETA-UNMATCHED');
  // A bank line Acme told its operator about: placed on Acme's claim by id (unmatched payments are not listed).
  const acmeLoose = unmatched('Acme bankregel');
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
  const zetas = ['Zetstra', 'Zandvoort', '+31640000202', '+31640000203', 'REF-ZETA', 'INV-ZETA', '999991', '999992', '999993', '999994', 'SMS-ZETA', 'REPLY-ZETA', 'IMPORT-ZETA', 'STRAT-ZETA', 'SEG-ZETA', 'segzeta', 'NOTE-ZETA', 'PAY-ZETA', 'call-zeta', '"Zeta"'];

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
      .replace(/^\/campaigns\/:id\/imports$/, `/campaigns/${importCampaignOf(p)}/imports`)
      .replace(/^\/imports\/:id/, `/imports/${imported[p.ref]}`)
      .replace(/^\/strategies\/:id/, `/strategies/${strategyOf(p)}`)
      .replace(/^\/campaigns\/:id/, `/campaigns/${p.campaign}`)
      .replace(/^\/messages\/:id/, `/messages/${messageOf(p)}`)
      .replace(/^\/payments\/:id/, `/payments/${paymentOf(p)}`)
      .replace(/^\/inbox\/:id/, `/inbox/${replyOf(p)}`)
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
    'GET /reports/actions': () => '?from=2026-11-23&to=2026-11-23',
    'GET /reports/strategy-arms': () => '?strategyId=default',
  };
  // Figures hold no names: each is counted over Acme's rows alone for a limited token (acme)
  // and over both creditors' without a limit (all), and Zeta's own campaign answers 404.
  const dialled = (text: string) => {
    const b = JSON.parse(text) as { steps?: { step: string; count: number }[]; byHour?: { dialled: number }[] };
    return b.steps ? b.steps.find((x) => x.step === 'dialled')!.count : b.byHour!.reduce((n, h) => n + h.dialled, 0);
  };
  const messagesAndReplies = (text: string) => {
    const b = JSON.parse(text) as Record<string, number>;
    return [MESSAGE_STATUSES.reduce((n, st) => n + b[st]!, 0), b.replied];
  };
  const executed = (text: string) => (JSON.parse(text) as { total: { executed: number } }).total.executed;
  const armDebtors = (text: string) => {
    const b = JSON.parse(text) as { arms: { champion: { debtors: number; total: { executed: number } } } };
    if (!b.arms) return text;
    return [b.arms.champion.debtors, b.arms.champion.total.executed];
  };
  // perCampaign: the figure is of one campaign, and Zeta's own campaign answers 404.
  // The shared campaign: Acme's 1 of 2 contacts, 1 of 2 calls, 1 of 3 messages (live: 1 of 2 answered calls in the abandon rate).
  const campaignStats = (text: string) => {
    const b = JSON.parse(text) as { contacts: { total: number }; calls: { total: number } };
    return [b.contacts.total, b.calls.total];
  };
  const live = (text: string) => {
    const b = JSON.parse(text) as { stats: { contacts: { total: number }; calls: { total: number } }; messages: Record<string, number>; abandon24h: { live: number } };
    return [...campaignStats(JSON.stringify(b.stats)), MESSAGE_STATUSES.reduce((n, st) => n + b.messages[st]!, 0), b.abandon24h.live];
  };
  const FIGURES: Record<string, { of: (text: string) => unknown; acme: unknown; all: unknown; perCampaign?: false }> = {
    'GET /campaigns/:id/stats': { of: campaignStats, acme: [1, 1], all: [2, 2] },
    'GET /campaigns/:id/live': { of: live, acme: [1, 1, 1, 1], all: [2, 2, 3, 2] },
    'GET /campaigns/:id/live/events': { of: live, acme: [1, 1, 1, 1], all: [2, 2, 3, 2] },
    'GET /reports/actions': { of: executed, acme: 1, all: 3, perCampaign: false },
    'GET /reports/strategy-arms': { of: armDebtors, acme: [1, 1], all: [2, 3], perCampaign: false },
    'GET /reports/funnel': { of: dialled, acme: 1, all: 2 },
    'GET /reports/answer-rate': { of: dialled, acme: 1, all: 2 },
    // Messages (Acme 1 of 3 in the shared campaign) and the messages answered (Acme's 1 of 2).
    'GET /campaigns/:id/messages/stats': { of: messagesAndReplies, acme: [1, 1], all: [3, 2] },
  };
  // Bodies the routes acting on one object need to get past validation (so Zeta's answers 404, not 400).
  const BODY: Record<string, (p: typeof acme) => object> = {
    'POST /debtors/:id/messages': (p) => (p === acme ? { channel: 'sms', kind: 'text', text: 'Hallo van Acme', claimId: acmeClaim } : { channel: 'sms', kind: 'text', text: 'Hallo' }),
    'POST /messages/:id/cancel': () => ({}),
    'POST /messages/:id/resend': () => ({}),
    'POST /inbox/:id/assign': () => ({ agentId }),
    'POST /inbox/:id/answer': () => ({ text: 'Dank u' }),
    'POST /inbox/:id/close': () => ({}),
    'POST /payments/:id/match': (p) => ({ claimId: p === acme ? acmeClaim : owesBoth }),
  };
  // Acting on Acme's own object reaches it for a limited operator (a text the outbox already sent cannot be cancelled: 409).
  const ACME_ACTS: Record<string, { status: number[]; path?: string }> = {
    'POST /debtors/:id/messages': { status: [201] },
    'POST /messages/:id/cancel': { status: [200, 409] },
    'POST /inbox/:id/assign': { status: [200] },
    'POST /payments/:id/match': { status: [200], path: `/payments/${acmeLoose}/match` },
  };
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

  // Server-sent events never end: read the first event's data, then hang up.
  const STREAMS = new Set(['GET /campaigns/:id/live/events']);
  const firstEvent = async (token: string, path: string): Promise<{ status: number; text: string }> => {
    const ac = new AbortController();
    const res = await fetch(app.url + path, { headers: { authorization: `Bearer ${token}` }, signal: ac.signal });
    if (!res.headers.get('content-type')?.startsWith('text/event-stream')) return { status: res.status, text: await res.text() };
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes('\n\n')) text += new TextDecoder().decode((await reader.read()).value);
    ac.abort();
    return { status: res.status, text: /^data: (.*)$/m.exec(text)![1]! };
  };
  const call = (key: string, token: string, method: string, path: string, body?: unknown) => (STREAMS.has(key) ? firstEvent(token, path) : send(app, token, method, path, body));

  let filteringRoutes = 0;
  for (const r of routes) {
    if (r.roles === 'public') continue;
    const key = `${r.method} ${r.url}`;
    await t.test(key, async () => {
      for (const [role, token] of Object.entries(limited)) {
        const allowed = (r.roles as string[]).includes(role);
        for (const target of [zeta1, zeta2]) {
          const body = BODY[key]?.(target);
          const path = fill(r.url, target) + (QUERY[key]?.(target) ?? '');
          const res = await call(key, token, r.method, path, r.method === 'GET' ? undefined : (body ?? {}));
          // A 404 may repeat the id the caller named; nothing else of Zeta's may show.
          noneOfZetas(res.text.replaceAll(target.call, '').replaceAll(target.ref, ''), `${role} limited to Acme on ${r.method} ${path} (${res.status})`);
          if (allowed && r.scope === 'all-creditors') {
            assert.equal(res.status, 403, `${role} on ${key}: ${res.text.slice(0, 200)}`);
            assert.equal((JSON.parse(res.text) as { error: { code: string } }).error.code, 'AUTH_SCOPE');
          }
          const figure = FIGURES[key];
          if (allowed && figure) {
            if (target === zeta2 && figure.perCampaign !== false) assert.equal(res.status, 404, `${role} on ${path}: Zeta's campaign: ${res.text.slice(0, 200)}`);
            else assert.deepEqual(figure.of(res.text), figure.acme, `${role} on ${path} counts Acme's rows only: ${res.text.slice(0, 300)}`);
          }
          if (allowed && r.scope === 'creditor' && (r.method === 'GET' || body) && (r.url.includes(':') && !(r.url.startsWith('/campaigns/:id') && target === zeta1))) {
            // The shared campaign exists for Acme too (its contacts list is filtered, not refused).
            assert.equal(res.status, 404, `${role} on ${path} names Zeta's object: ${res.text.slice(0, 200)}`);
          }
        }
        if (allowed && ACME_ACTS[key]) {
          const res = await send(app, token, r.method, ACME_ACTS[key].path ?? fill(r.url, acme), BODY[key]?.(acme) ?? {});
          assert.ok(ACME_ACTS[key].status.includes(res.status), `${role} on ${key} with Acme's object: ${res.text.slice(0, 200)}`);
          noneOfZetas(res.text, `${role} on ${key} with Acme's object`);
        }
        if (allowed && r.scope === 'creditor' && r.method === 'GET') {
          const res = await call(key, token, r.method, fill(r.url, acme) + (QUERY[key]?.(acme) ?? ''));
          assert.equal(res.status, 200, `${role} on ${key} with Acme's object: ${res.text.slice(0, 200)}`);
          const figure = FIGURES[key];
          if (figure) assert.deepEqual(figure.of(res.text), figure.acme, `${role} on ${key} counts Acme's rows: ${res.text.slice(0, 300)}`);
          else assert.ok(/Acme|REF-ACME|call-acme|shared/.test(res.text), `${role} on ${key} shows Acme's data: ${res.text.slice(0, 200)}`);
          noneOfZetas(res.text, `${role} on ${key} with Acme's object`);
          filteringRoutes++;
        }
      }
    });
  }
  // An unmatched payment is nobody's yet, but a limited operator cannot place it on another creditor's claim.
  // A pay link asks for every open claim of the debtor: a limited operator names one of its own.
  const everyClaim = await send(app, limited.operator, 'POST', `/debtors/${acme.id}/messages`, { channel: 'sms', kind: 'paylink' });
  assert.equal(everyClaim.status, 422, everyClaim.text);
  const zetasClaim = await send(app, limited.operator, 'POST', `/debtors/${acme.id}/messages`, { channel: 'sms', kind: 'paylink', claimId: owesBoth });
  assert.equal(zetasClaim.status, 404, zetasClaim.text);
  const misplaced = await send(app, limited.operator, 'POST', `/payments/${zetaLoose}/match`, { claimId: owesBoth });
  assert.equal(misplaced.status, 404, misplaced.text);
  assert.equal(store.payments.get(zetaLoose)!.status, 'unmatched');
  assert.ok(filteringRoutes >= 7, `${filteringRoutes} filtering route probes answered Acme's data`);

  // The same token without a limit sees both creditors (the filter is the scope, not the route).
  const all = await app.api('/campaigns/' + shared.campaignId + '/contacts');
  assert.ok(all.ok);
  const body = await all.text();
  assert.ok(body.includes('Zetstra') && body.includes('Acmesma'));
  const unlimited = createToken(store.tokens, clock, { name: 'every-creditor', role: 'operator' }).token;
  for (const [key, figure] of Object.entries(FIGURES)) {
    const res = await call(key, unlimited, 'GET', fill(key.slice(4), acme) + (QUERY[key]?.(acme) ?? ''));
    assert.deepEqual(figure.of(res.text), figure.all, `${key} unlimited counts both creditors' rows`);
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
