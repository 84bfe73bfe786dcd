import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../src/lib/clock.ts';
import { blankEntry } from '../../src/payments/types.ts';
import { sqliteHandle } from '../../src/store/sqlite.ts';
import { sendAs, startTestApp } from '../helpers/app.ts';
import { createToken } from '../../src/http/tokens.ts';
import { reportCsv, type ActionReport } from '../../src/reports/actions.ts';
import { seedDebtor } from '../helpers/messages.ts';

const STRATEGY = {
  id: 'score',
  name: 'Score',
  segments: [{ name: 'all', steps: [{ day: 0, action: 'sms' }, { day: 0, action: 'email', sameDay: true }, { day: 2, action: 'call_ivr' }] }],
};
const COSTS = { smsPartCents: 7, emailCents: 1, whatsappCents: 8, callMinuteCents: 2, agentMinuteCents: 60, externalCents: { default: 100, letter: 150 } };

type Row = { action: string; executed: number; withResult: number; scorePct: number; results: Record<string, number>; contactsReached: number; collectedCents: { lastTouch: number; anyTouch: number }; costCents: number; costPerEuroCollectedCents: number | null; costPerInvoiceCents: number | null };
type Report = { from: string; to: string; attributionDays: number; rows: Row[]; total: Row };

/**
 * A week of three debtors, by hand. Monday 23 Nov: SMS + e-mail for A (€100), B (€200 + €100), C (€50).
 * A's SMS delivered (1 part), B's delivered (2 parts), C's failed after submitting; every e-mail accepted.
 * Tue: A pays €100 in full (last touch: the e-mail, executed just after the SMS).
 * Wed: IVR for B and C; B answers 90 s and promises at 09:01; C does not answer.
 * Thu: a letter to C, imported. Fri: B pays €50 of the €200 claim. Sat: C pays €50 in full (last touch: the letter).
 */
async function week(t: { after(fn: () => Promise<void>): void }) {
  const clock = new FakeClock('2026-11-23T07:00:00Z');
  const h = await startTestApp({ clock, telephony: false, messaging: false, config: { strategies: { callerId: '+31201234567', defaultId: 'score' }, reports: { attributionDays: 14, unitCosts: COSTS } } });
  t.after(() => h.close());
  const { store, payments } = h.app.deps;
  const db = sqliteHandle(store);
  assert.equal((await h.api('/strategies', { method: 'POST', json: STRATEGY })).status, 201);
  const a = seedDebtor(store, { claims: [{ cents: 10_000 }] });
  const b = seedDebtor(store, { claims: [{ cents: 20_000 }, { cents: 10_000 }] });
  const c = seedDebtor(store, { claims: [{ cents: 5_000 }] });
  const plan = async () => (await h.api('/strategies/plan', { method: 'POST' })).json() as Promise<{ executed: number }>;
  assert.equal((await plan()).executed, 6);
  const message = (debtorId: number, action: string) => store.strategies.actionsOf(debtorId).find((x) => x.action === action)!.messageId!;
  const sent = (id: number, status: string, parts: number | null) => db.prepare(`UPDATE messages SET status = ?, parts = ?, submitted_at = '2026-11-23T07:01:00.000Z' WHERE id = ?`).run(status, parts, id);
  sent(message(a.debtorId, 'sms'), 'delivered', 1);
  sent(message(b.debtorId, 'sms'), 'delivered', 2);
  sent(message(c.debtorId, 'sms'), 'failed', 1);
  for (const d of [a, b, c]) sent(message(d.debtorId, 'email'), 'submitted', null);
  const pay = (claimId: number, cents: number, day: string) => payments.apply({ ...blankEntry('api', 'test'), externalId: `psp-${claimId}-${day}`, amountCents: cents, bookedOn: day, claimId }, null, `${day}T10:00:00.000Z`);

  clock.set('2026-11-24T07:00:00Z');
  pay(a.claimIds[0]!, 10_000, '2026-11-24');
  clock.set('2026-11-25T07:00:00Z');
  assert.equal((await plan()).executed, 2, 'IVR for B and C; A has paid');
  const call = (debtorId: number, disposition: string, answered: string | null, ended: string) => {
    const x = store.strategies.actionsOf(debtorId).find((y) => y.action === 'call_ivr')!;
    db.prepare(`INSERT INTO calls (id, direction, campaign_id, contact_id, debtor_id, state, disposition, created_at, answered_at, ended_at) VALUES (?, 'outbound', ?, ?, ?, 'ended', ?, ?, ?, ?)`)
      .run(`call-${debtorId}`, x.campaignId, x.contactId, debtorId, disposition, '2026-11-25T08:59:50.000Z', answered, ended);
    return x.campaignId!;
  };
  const ivrCampaign = call(b.debtorId, 'answered', '2026-11-25T09:00:00.000Z', '2026-11-25T09:01:30.000Z');
  call(c.debtorId, 'no_answer', null, '2026-11-25T09:00:30.000Z');
  const agentId = Number(db.prepare(`INSERT INTO agents (name, endpoint, state_since, created_at, updated_at) VALUES ('Ann', 'PJSIP/agent1', ?, ?, ?)`).run('x', 'x', 'x').lastInsertRowid);
  store.dispositions.record({ callId: `call-${b.debtorId}`, agentId, claimId: b.claimIds[0]!, debtorId: b.debtorId, kind: 'promise_to_pay', promiseDate: '2026-11-30', now: '2026-11-25T09:01:00.000Z' });
  const ref = (id: number) => (db.prepare(`SELECT external_ref FROM debtors WHERE id = ?`).pluck().get(id) as string);
  const letters = `debtor_ref;date;kind\n${ref(c.debtorId)};26-11-2026;letter\n`;
  const imported = await h.api('/reports/actions/imports', { method: 'POST', headers: { 'content-type': 'text/csv', 'x-file-name': 'letters.csv' }, body: letters });
  assert.equal(imported.status, 201);
  assert.deepEqual(await imported.json(), { importId: 1, rows: 1, alreadyImported: false });
  const again = await h.api('/reports/actions/imports', { method: 'POST', headers: { 'content-type': 'text/csv' }, body: letters });
  assert.deepEqual([again.status, ((await again.json()) as { alreadyImported: boolean }).alreadyImported], [200, true], 'the same file twice changes nothing');
  pay(b.claimIds[0]!, 5_000, '2026-11-27');
  pay(c.claimIds[0]!, 5_000, '2026-11-28');
  return { h, ivrCampaign, debtors: { a, b, c } };
}

test('the score per action counts what a week of three debtors did: results, reached, collected by last and any touch, cost', async (t) => {
  const { h } = await week(t);
  const res = await h.api('/reports/actions?from=2026-11-23&to=2026-11-29');
  assert.equal(res.status, 200);
  const r = (await res.json()) as Report;
  assert.deepEqual([r.from, r.to, r.attributionDays], ['2026-11-23', '2026-11-29', 14]);
  const row = (action: string) => r.rows.find((x) => x.action === action)!;
  assert.deepEqual(r.rows.map((x) => x.action), ['sms', 'email', 'whatsapp', 'call_ivr', 'call_agent', 'external:letter']);
  assert.deepEqual(row('sms'), {
    action: 'sms', executed: 3, withResult: 0, scorePct: 0, results: { paidFull: 0, paidPartial: 0, arrangement: 0, promise: 0 }, contactsReached: 2,
    collectedCents: { lastTouch: 0, anyTouch: 20_000 }, costCents: 28, costPerEuroCollectedCents: null, costPerInvoiceCents: 7,
  });
  assert.deepEqual(row('email'), {
    action: 'email', executed: 3, withResult: 1, scorePct: 33.3, results: { paidFull: 1, paidPartial: 0, arrangement: 0, promise: 0 }, contactsReached: 3,
    collectedCents: { lastTouch: 10_000, anyTouch: 20_000 }, costCents: 3, costPerEuroCollectedCents: 0.03, costPerInvoiceCents: 1,
  });
  assert.deepEqual(row('call_ivr'), {
    action: 'call_ivr', executed: 2, withResult: 1, scorePct: 50, results: { paidFull: 0, paidPartial: 1, arrangement: 0, promise: 0 }, contactsReached: 1,
    collectedCents: { lastTouch: 5_000, anyTouch: 10_000 }, costCents: 3, costPerEuroCollectedCents: 0.06, costPerInvoiceCents: 1,
  }, 'B promised, then paid part: the stronger result counts; 90 s at 2 cents a minute');
  assert.deepEqual(row('external:letter'), {
    action: 'external:letter', executed: 1, withResult: 1, scorePct: 100, results: { paidFull: 1, paidPartial: 0, arrangement: 0, promise: 0 }, contactsReached: 0,
    collectedCents: { lastTouch: 5_000, anyTouch: 5_000 }, costCents: 150, costPerEuroCollectedCents: 3, costPerInvoiceCents: 150,
  });
  assert.deepEqual(r.total, {
    action: 'total', executed: 9, withResult: 3, scorePct: 33.3, results: { paidFull: 2, paidPartial: 1, arrangement: 0, promise: 0 }, contactsReached: 6,
    collectedCents: { lastTouch: 20_000, anyTouch: 20_000 }, costCents: 184, costPerEuroCollectedCents: 0.92, costPerInvoiceCents: 46,
  });
});

test('filters by strategy, segment and campaign; a shorter window; CSV by Accept or format; bad input named', async (t) => {
  const { h, ivrCampaign } = await week(t);
  const get = async (q: string) => {
    const res = await h.api(`/reports/actions?from=2026-11-23&to=2026-11-29${q}`);
    assert.equal(res.status, 200, await res.clone().text());
    return (await res.json()) as Report;
  };
  const byStrategy = await get('&strategyId=score');
  assert.equal(byStrategy.rows.find((x) => x.action === 'external:letter'), undefined, 'imported letters are no step of the strategy');
  assert.deepEqual([byStrategy.total.executed, byStrategy.total.collectedCents.lastTouch], [8, 15_000], "C's payment's last touch was the letter: not this strategy's");
  assert.equal((await get('&segment=all')).total.executed, 8);
  const byCampaign = await get(`&campaignId=${ivrCampaign}`);
  assert.deepEqual([byCampaign.total.executed, byCampaign.rows.find((x) => x.action === 'call_ivr')!.executed], [2, 2]);
  const short = await get('&attributionDays=1');
  assert.deepEqual(short.rows.find((x) => x.action === 'sms')!.collectedCents.anyTouch, 10_000, "a 1-day window keeps only A's payment the day after the SMS");
  assert.equal(((await (await h.api('/reports/actions?from=2026-11-30&to=2026-12-06')).json()) as Report).total.executed, 0, 'a later period: nothing');

  const csv = await h.api('/reports/actions?from=2026-11-23&to=2026-11-29', { headers: { accept: 'text/csv' } });
  assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/);
  const lines = (await csv.text()).trim().split('\r\n');
  assert.equal(lines[0], 'action,executed,with_result,score_pct,paid_full,paid_partial,promise,arrangement,contacts_reached,collected_last_touch_eur,collected_any_touch_eur,cost_eur,cost_per_euro_collected_cents,cost_per_invoice_eur');
  assert.equal(lines.at(-1), 'total,9,3,33.3,2,1,0,0,6,200.00,200.00,1.84,0.92,0.46');
  assert.equal(await (await h.api('/reports/actions?from=2026-11-23&to=2026-11-29&format=csv')).text(), lines.join('\r\n') + '\r\n');

  const bad = await h.api('/reports/actions?from=2026-11-30&to=2026-11-23');
  assert.equal(bad.status, 400);
  assert.match(((await bad.json()) as { error: { message: string } }).error.message, /from \(2026-11-30\) must not be after query\/to \(2026-11-23\)/);
  const badFile = await h.api('/reports/actions/imports', { method: 'POST', headers: { 'content-type': 'text/csv', 'x-file-name': 'bad.csv' }, body: 'debtor_ref;date;kind\nNOPE;31-02-2026;Letter!\n' });
  assert.equal(badFile.status, 400);
  const err = ((await badFile.json()) as { error: { message: string; details: Array<{ line: number; column: string }> } }).error;
  assert.deepEqual(err.details.map((p) => `${p.line}:${p.column}`), ['2:date', '2:kind', '2:debtor_ref']);
  assert.match(err.message, /bad\.csv is refused, nothing was imported: bad\.csv: line 2, date "31-02-2026" is not a date/);
  assert.equal((await h.api('/reports/actions', { role: 'agent' })).status, 403);
});

test('a token limited to one creditor gets the score per action and the arms over that creditor’s claims alone (JSON and CSV)', async (t) => {
  const { h, debtors } = await week(t);
  const { store, clock } = h.app.deps;
  // A and B owe Acme (5 actions, €150 collected), C owes Zeta (4 actions with the letter, €50).
  sqliteHandle(store).prepare(`UPDATE claims SET creditor = CASE WHEN debtor_id = ? THEN 'Zeta' ELSE 'Acme' END`).run(debtors.c.debtorId);
  const as = (creditor: string) => createToken(store.tokens, clock, { name: creditor, role: 'operator', creditors: [creditor] }).token;
  const get = async (token: string | null, path: string) => {
    const res = token ? await sendAs(h, token, 'GET', path) : await (async () => { const r = await h.api(path); return { status: r.status, text: await r.text() }; })();
    assert.equal(res.status, 200, res.text);
    return res.text;
  };
  const week1 = '/reports/actions?from=2026-11-23&to=2026-11-29';
  const figures = (text: string) => {
    const r = JSON.parse(text) as Report;
    return { executed: r.total.executed, collected: r.total.collectedCents.lastTouch, letters: r.rows.find((x) => x.action === 'external:letter')?.executed ?? 0, ivr: r.rows.find((x) => x.action === 'call_ivr')!.executed };
  };
  const [acme, zeta, all] = await Promise.all([get(as('Acme'), week1), get(as('Zeta'), week1), get(null, week1)]);
  assert.deepEqual(figures(acme), { executed: 5, collected: 15_000, letters: 0, ivr: 1 });
  assert.deepEqual(figures(zeta), { executed: 4, collected: 5_000, letters: 1, ivr: 1 });
  assert.deepEqual(figures(all), { executed: 9, collected: 20_000, letters: 1, ivr: 2 });
  assert.equal(await get(as('Acme'), week1 + '&format=csv'), reportCsv(JSON.parse(acme) as ActionReport), 'the CSV is the limited report too');

  const arms = async (token: string | null) => {
    const champion = (JSON.parse(await get(token, '/reports/strategy-arms?strategyId=score')) as { arms: { champion: { debtors: number; collectedCents: number; total: { executed: number } } } }).arms.champion;
    return [champion.debtors, champion.collectedCents, champion.total.executed];
  };
  assert.deepEqual(await arms(as('Acme')), [2, 15_000, 5]);
  assert.deepEqual(await arms(as('Zeta')), [1, 5_000, 3], 'the letter is no step of the strategy');
  assert.deepEqual(await arms(null), [3, 20_000, 8]);
});
