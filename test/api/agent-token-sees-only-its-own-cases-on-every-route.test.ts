/**
 * An agent token reaches only the agent's own cases. The walk takes every route the app
 * registered (a route added later is walked too) and holds it to one of three lists:
 * public pages without data, the agent's own routes (AGENT_ROUTES, probed as another
 * agent against Anna's cases), or everything else, which must answer 403 to any agent
 * token. Anna has a case routed to her (a transfer with her disposition) and holds a
 * preview case; Bram must see nothing of either, and gets 404 when he names one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sendAs, startTestApp } from '../helpers/app.ts';
import { FakeClock } from '../../src/lib/clock.ts';
import { createToken } from '../../src/http/tokens.ts';
import { createCall } from '../../src/store/calls.ts';
import { recordDisposition } from '../../src/store/dispositions.ts';
import { seedCampaign } from '../unit/dialer-fixture.ts';
import { createSqliteStore, sqliteHandle } from '../../src/store/sqlite.ts';

/** Monday 10:00 in Amsterdam: inside the default calling window, so preview cases are due. */
const NOW = '2026-11-23T09:00:00.000Z';

/** Routes that hold no debtor data and need no token (the desktop page, the docs UI, health). */
const PUBLIC = new Set([
  'GET /healthz',
  'GET /docs',
  'GET /docs/static/index.html',
  'GET /docs/static/swagger-initializer.js',
  'GET /docs/static/*',
  'HEAD /docs/static/*',
  'GET /desktop',
  'GET /desktop/desktop.js',
  'GET /desktop/desktop.css',
  'GET /desktop/desktop-messages.js',
  'GET /desktop/desktop-line.js',
  'GET /desktop/desktop-softphone.js',
  // SIP.js, the softphone's library: its own .js files only.
  'GET /desktop/vendor/sip.js/*',
  'GET /agent/ws',
  // The operator console's page and files (no data; the API calls it makes need a token).
  'GET /console',
  'GET /console/app/:file',
  'GET /console/vendor/:file',
  'GET /media/tts/:file',
  // The short links in messages: a 128-bit token opens them, and the pages name nobody.
  'GET /p/:token',
  'GET /u/:token',
  'POST /u/:token',
  // The payment webhook: an HMAC signature with the shared secret is its key; it answers no data.
  'POST /payments',
  // The WhatsApp webhook: Meta's subscription check needs our verify token and echoes only
  // Meta's own challenge; the POST is signed with the app secret and answers two counts.
  'GET /webhooks/whatsapp',
  'POST /webhooks/whatsapp',
]);

interface Seeded {
  routedClaim: number;
  previewContact: number;
  previewClaim: number;
  brams: { contact: number };
  /** A free-text reply from Anna's debtor (open, so Anna sees it) and that debtor. */
  annasReply: number;
  annasDebtor: number;
}
interface Probe {
  path?: string;
  body?: unknown;
  status: number;
  /** What Bram gets must be about Bram (checked beyond "none of Anna's data"). */
  check?: (body: unknown) => void;
  /** The route waits on the clock (a phone ringing): move the test's clock on until it answers. */
  ringing?: true;
}

/** The agent's own routes, each probed as Bram while Anna holds her cases. Anything else is 403 to an agent. */
const AGENT_ROUTES: Record<string, (s: Seeded) => Probe[]> = {
  'GET /agent/me': () => [{ status: 200, check: (b) => assert.equal((b as { agent: { name: string } }).agent.name, 'Bram') }],
  'POST /agent/state': () => [{ body: { state: 'available' }, status: 200 }],
  'GET /agent/cases': () => [{ status: 200, check: (b) => assert.deepEqual(b, []) }],
  // Bram's own line: opening rings his phone (the simulated one answers); hanging it up is not a drop.
  'POST /agent/line': () => [{ status: 200, ringing: true, check: (b) => assert.equal((b as { state: string }).state, 'open') }],
  'DELETE /agent/line': () => [{ status: 200, check: (b) => assert.equal((b as { state: string }).state, 'none') }],
  // Bram's own SIP account (the softphone is off in this app: said so); deleting his own is harmless.
  'POST /agent/softphone': () => [{ status: 409, check: (b) => assert.equal((b as { error: { code: string } }).error.code, 'SOFTPHONE_DISABLED') }],
  'DELETE /agent/softphone': () => [{ status: 204 }],
  'POST /agent/dispositions': (s) => [
    { body: { claimId: s.routedClaim, kind: 'dispute' }, status: 404 },
    { body: { claimId: s.previewClaim, kind: 'wrong_person' }, status: 404 },
  ],
  'POST /agent/wrapup/end': () => [{ status: 200 }],
  'GET /agent/inbox': () => [{ status: 200, check: (b) => assert.deepEqual(b, { count: 0, items: [] }) }],
  'POST /agent/inbox/:id/take': (s) => [{ path: `/agent/inbox/${s.annasReply}/take`, status: 404 }],
  'POST /agent/inbox/:id/answer': (s) => [{ path: `/agent/inbox/${s.annasReply}/answer`, body: { text: 'Hallo' }, status: 404 }],
  'POST /agent/inbox/:id/close': (s) => [{ path: `/agent/inbox/${s.annasReply}/close`, status: 404 }],
  'GET /agent/debtors/:id/messages': (s) => [{ path: `/agent/debtors/${s.annasDebtor}/messages`, status: 404 }],
  'POST /agent/debtors/:id/messages': (s) => [
    { path: `/agent/debtors/${s.annasDebtor}/messages`, body: { channel: 'sms', kind: 'paylink' }, status: 404 },
    { path: `/agent/debtors/${s.annasDebtor}/messages`, body: { channel: 'sms', kind: 'text', text: 'Hallo' }, status: 404 },
  ],
  'POST /agent/messages/measure': () => [{ body: { text: 'Hallo' }, status: 200 }],
  'GET /agent/preview/next': (s) => [{ status: 200, check: (b) => assert.equal((b as { contactId: number }).contactId, s.brams.contact) }],
  'POST /agent/preview/:contactId/dial': (s) => [{ path: `/agent/preview/${s.previewContact}/dial`, status: 404 }],
  'POST /agent/preview/:contactId/skip': (s) => [{ path: `/agent/preview/${s.previewContact}/skip`, status: 404 }],
  // The API description: route shapes, no data.
  'GET /openapi.json': () => [{ status: 200 }],
  'GET /docs/json': () => [{ status: 200 }],
  'GET /docs/yaml': () => [{ status: 200 }],
};

const send = sendAs;

test('an agent token gets 403 on every route but its own, and its own routes show nothing of another agent’s cases', async (t) => {
  const clock = new FakeClock(NOW);
  const app = await startTestApp({ clock });
  t.after(() => app.close());
  const db = sqliteHandle(app.app.deps.store);
  const { registry } = app.app.deps.engine!.desk;
  const anna = registry.create({ name: 'Anna', endpoint: 'PJSIP/agent1', skills: [] }).id;
  const bram = registry.create({ name: 'Bram', endpoint: 'PJSIP/agent2', skills: [] }).id;
  const token = {
    anna: createToken(createSqliteStore(db).tokens, clock, { name: 'anna', role: 'agent', agentId: anna }).token,
    bram: createToken(createSqliteStore(db).tokens, clock, { name: 'bram', role: 'agent', agentId: bram }).token,
  };
  for (const id of [anna, bram]) registry.apply(id, 'go_available');

  // Debtor 0 was put through to Anna (she recorded a note); debtor 1 is her preview case; debtor 2 is left for Bram.
  const { campaignId, contactIds, debtorIds } = seedCampaign(db, {
    mode: 'preview',
    at: NOW,
    settings: { amd: false },
    debtors: [{ phones: ['+31640000101'] }, { phones: ['+31640000102'] }, { phones: ['+31640000103'] }],
  });
  const who = ['Zuidema', 'Kuipers', 'Brouwer'];
  debtorIds.forEach((d, i) => {
    db.prepare(`UPDATE debtors SET name = ?, external_ref = ? WHERE id = ?`).run(`Marieke ${who[i]}`, `REF-${who[i]}`, d);
    db.prepare(`UPDATE claims SET invoice_ref = ?, amount_cents = ? WHERE debtor_id = ?`).run(`INV-${who[i]}`, 987_650 + i, d);
  });
  db.prepare(`UPDATE contacts SET status = 'done' WHERE id = ?`).run(contactIds[0]);
  const claimOf = (debtorId: number) => (db.prepare(`SELECT id FROM claims WHERE debtor_id = ?`).get(debtorId) as { id: number }).id;
  const routed = { campaignId, contactId: contactIds[0]!, debtorId: debtorIds[0]!, agentId: anna, createdAt: NOW, state: 'ended' as const };
  createCall(db, { ...routed, id: 'out-routed-to-anna', direction: 'outbound', toNumber: '+31640000101', result: 'transferred' });
  createCall(db, { ...routed, id: 'agent-leg-of-anna', direction: 'agent', parentCallId: 'out-routed-to-anna' });
  const routedClaim = claimOf(debtorIds[0]!);
  recordDisposition(db, { agentId: anna, claimId: routedClaim, debtorId: debtorIds[0]!, callId: 'out-routed-to-anna', kind: 'other', note: 'NOTE-BY-ANNA', now: NOW });

  // Anna sees her own cases (so the checks below are not vacuous).
  const annaCases = await send(app, token.anna, 'GET', '/agent/cases');
  assert.equal(annaCases.status, 200);
  for (const mine of ['Marieke Zuidema', 'agent-leg-of-anna', 'out-routed-to-anna']) assert.ok(annaCases.text.includes(mine), `Anna's cases show ${mine}`);
  const annaPreview = await send(app, token.anna, 'GET', '/agent/preview/next');
  assert.equal(annaPreview.status, 200);
  assert.equal((JSON.parse(annaPreview.text) as { contactId: number }).contactId, contactIds[1]);
  for (const mine of ['Marieke Kuipers', '+31640000102']) assert.ok(annaPreview.text.includes(mine), `Anna's preview case shows ${mine}`);

  // Her debtor wrote back, and was sent a message: Bram may neither see nor answer either.
  const { store } = app.app.deps;
  const annasReply = store.replies.recordInbound(
    { channel: 'sms', from: '+31640000101', to: '+3197010587400', body: 'REPLY-FOR-ANNA', debtorId: debtorIds[0]!, messageId: null, intent: 'free_text', status: 'open' },
    NOW,
  ).id;
  store.messages.queue({ channel: 'sms', source: 'desktop', debtorId: debtorIds[0]!, agentId: anna, to: '+31640000101', sender: 'number:+3197010587400', language: 'nl', body: 'SMS-FROM-ANNA' }, NOW);
  const annaInbox = await send(app, token.anna, 'GET', '/agent/inbox');
  assert.ok(annaInbox.text.includes('REPLY-FOR-ANNA'), `Anna's inbox shows her debtor's reply: ${annaInbox.text}`);
  const annaSent = await send(app, token.anna, 'GET', `/agent/debtors/${debtorIds[0]}/messages`);
  assert.ok(annaSent.text.includes('SMS-FROM-ANNA'), `Anna sees what was sent to her debtor: ${annaSent.text}`);

  const annas = ['Zuidema', 'Kuipers', '+31640000101', '+31640000102', '987650', '987651', 'out-routed-to-anna', 'agent-leg-of-anna', 'NOTE-BY-ANNA', 'REPLY-FOR-ANNA', 'SMS-FROM-ANNA'];
  const seeded: Seeded = {
    routedClaim,
    previewContact: contactIds[1]!,
    previewClaim: claimOf(debtorIds[1]!),
    brams: { contact: contactIds[2]! },
    annasReply,
    annasDebtor: debtorIds[0]!,
  };
  // Placeholders point at Anna's data, so a route that let an agent through would show it.
  const fill = (url: string) =>
    url
      .replace(/^\/calls\/:id/, '/calls/out-routed-to-anna')
      .replace(/^\/agents\/:id/, `/agents/${anna}`)
      .replace(/^\/imports\/:id/, '/imports/1')
      .replace(/:id\b/, String(campaignId))
      .replace(/:contactId\b/, String(contactIds[1]));
  const noneOfAnnas = (text: string, what: string) => {
    for (const m of annas) assert.ok(!text.includes(m), `${what} shows ${m} of Anna's cases`);
  };

  const routes = app.app.http.bereikRoutes;
  assert.ok(routes.length >= 40, `${routes.length} routes`);
  const walked = new Set<string>();
  for (const r of routes) {
    const key = `${r.method} ${r.url}`;
    walked.add(key);
    await t.test(key, async () => {
      if (r.roles === 'public') return assert.ok(PUBLIC.has(key), `${key} is public: add it to PUBLIC only if it holds no debtor data`);
      const probes = AGENT_ROUTES[key];
      if (!probes) {
        // Bram, Anna herself, and an agent token linked to nobody: none may read or change anything here.
        for (const [who, tok] of [['bram', token.bram], ['anna', token.anna], ['unlinked agent', app.tokens.agent]] as const) {
          const res = await send(app, tok, r.method, fill(r.url), r.method === 'GET' ? undefined : {});
          assert.equal(res.status, 403, `${who} on ${key}: ${res.text.slice(0, 200)}`);
          assert.equal((JSON.parse(res.text) as { error: { code: string } }).error.code, 'AUTH_FORBIDDEN');
          noneOfAnnas(res.text, `${who} on ${key}`);
        }
        return;
      }
      for (const p of probes(seeded)) {
        const pending = send(app, token.bram, r.method, p.path ?? fill(r.url), p.body);
        if (p.ringing) {
          let answered = false;
          void pending.finally(() => (answered = true));
          while (!answered) {
            await clock.advance(250);
            await new Promise((resolve) => setTimeout(resolve, 5));
          }
        }
        const res = await pending;
        assert.equal(res.status, p.status, `Bram on ${key}: ${res.text.slice(0, 200)}`);
        noneOfAnnas(res.text, `Bram on ${key}`);
        p.check?.(JSON.parse(res.text));
      }
    });
  }
  for (const key of Object.keys(AGENT_ROUTES)) assert.ok(walked.has(key), `${key} is on the agent allow-list but not registered`);

  // Nothing Bram tried changed Anna's cases: her claim is untouched and she still holds her preview case.
  assert.equal((db.prepare(`SELECT status FROM claims WHERE id = ?`).get(routedClaim) as { status: string }).status, 'open');
  assert.equal((db.prepare(`SELECT COUNT(*) AS n FROM dispositions WHERE agent_id = ?`).get(bram) as { n: number }).n, 0);
  assert.equal((await send(app, token.anna, 'POST', `/agent/preview/${contactIds[1]}/skip`)).status, 204);
  assert.equal(store.replies.inbound(annasReply)?.status, 'open', 'Bram could not take, answer or close her debtor’s reply');
  assert.deepEqual(store.messages.list({ debtorId: debtorIds[0]! }).map((m) => m.body), ['SMS-FROM-ANNA'], 'Bram sent nothing to her debtor');
});
