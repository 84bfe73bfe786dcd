/**
 * GET /reports/strategy-arms over HTTP (issue 13 §5): sixty debtors split by the champion's
 * 30 % challenger share, planned through the API; the challenger's debtors all pay on day 3,
 * every fourth champion debtor on day 5. The JSON compares the arms as the test's ledger says
 * (debtors, paid, collected, days to payment, a significant difference); the CSV (format=csv or
 * Accept: text/csv) carries each arm's figures beside its score-per-action rows, the same
 * numbers; an unknown strategy is 404 and an agent may not read it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../src/lib/clock.ts';
import { blankEntry } from '../../src/payments/types.ts';
import { inChallengerShare } from '../../src/strategy/schema.ts';
import { startTestApp } from '../helpers/app.ts';
import { seedDebtor } from '../helpers/messages.ts';

const CHAMPION = { id: 'champ', name: 'SMS first', challenger: { strategyId: 'email-first', sharePct: 30 }, segments: [{ name: 'all', steps: [{ day: 0, action: 'sms' }] }] };
const CHALLENGER = { id: 'email-first', name: 'E-mail first', segments: [{ name: 'all', steps: [{ day: 0, action: 'email' }] }] };

type Arm = { arm: string; strategyId: string; debtors: number; paidDebtors: number; collectedCents: number; collectedPerDebtorCents: number; costPerDebtorCents: number; meanDaysToPayment: number | null; rows: Array<{ action: string; executed: number; withResult: number }>; total: { executed: number; withResult: number } };
type Arms = { strategyId: string; challengerId: string; sharePct: number; arms: { champion: Arm; challenger: Arm }; comparison: Record<string, { difference: number; significant: boolean; enoughData: boolean }> };

test('champion against challenger over HTTP: the JSON as the ledger says, the CSV with the same numbers, errors named', async (t) => {
  const clock = new FakeClock('2026-11-23T07:00:00Z'); // Monday 08:00 in Amsterdam
  const h = await startTestApp({ clock, telephony: false, messaging: false, config: { strategies: { callerId: '+31201234567', defaultId: 'champ' } } });
  t.after(() => h.close());
  const { store, payments } = h.app.deps;
  assert.equal((await h.api('/strategies', { method: 'POST', json: CHALLENGER })).status, 201);
  assert.equal((await h.api('/strategies', { method: 'POST', json: CHAMPION })).status, 201);
  const debtors = Array.from({ length: 60 }, () => seedDebtor(store, { claims: [{ cents: 10_000 }] }));
  assert.equal((await h.api('/strategies/plan', { method: 'POST' })).status, 200);

  const ledger = { champion: { n: 0, paid: 0, cents: 0 }, challenger: { n: 0, paid: 0, cents: 0 } };
  debtors.forEach((d, i) => {
    const challenger = inChallengerShare('champ', d.debtorId, 30);
    const side = challenger ? ledger.challenger : ledger.champion;
    side.n++;
    const day = challenger ? '2026-11-26' : i % 4 === 0 ? '2026-11-28' : null;
    if (!day) return;
    side.paid++;
    side.cents += 10_000;
    payments.apply({ ...blankEntry('api', 'test'), externalId: `p-${d.debtorId}`, amountCents: 10_000, bookedOn: day, claimId: d.claimIds[0]! }, null, `${day}T10:00:00.000Z`);
  });
  assert.ok(ledger.challenger.n >= 10 && ledger.champion.n >= 30, `both arms have debtors (${ledger.champion.n} / ${ledger.challenger.n})`);

  const res = await h.api('/reports/strategy-arms?strategyId=champ');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /application\/json/);
  const r = (await res.json()) as Arms;
  assert.deepEqual([r.strategyId, r.challengerId, r.sharePct], ['champ', 'email-first', 30]);
  const { champion: a, challenger: b } = r.arms;
  assert.deepEqual([a.debtors, a.paidDebtors, a.collectedCents, a.meanDaysToPayment], [ledger.champion.n, ledger.champion.paid, ledger.champion.cents, 5]);
  assert.deepEqual([b.debtors, b.paidDebtors, b.collectedCents, b.meanDaysToPayment], [ledger.challenger.n, ledger.challenger.paid, ledger.challenger.cents, 3]);
  assert.equal(a.rows.find((x) => x.action === 'sms')!.executed, ledger.champion.n, 'each champion debtor got the SMS');
  assert.equal(b.rows.find((x) => x.action === 'email')!.executed, ledger.challenger.n, 'each challenger debtor got the e-mail');
  assert.equal(b.total.withResult, ledger.challenger.n, 'every challenger e-mail was the last touch of a payment');
  assert.equal(r.comparison.daysToPayment!.difference, -2);
  const more = r.comparison.collectedPerDebtorCents!;
  assert.ok(more.difference > 0, 'the challenger collects more per debtor');
  assert.deepEqual([more.enoughData, more.significant], [false, false], 'fewer than 30 challenger debtors: not enough data to call it significant');

  for (const ask of [{ q: '&format=csv', headers: {} as Record<string, string> }, { q: '', headers: { accept: 'text/csv' } }]) {
    const csv = await h.api(`/reports/strategy-arms?strategyId=champ${ask.q}`, { headers: ask.headers });
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/);
    assert.match(csv.headers.get('content-disposition') ?? '', /filename="strategy-arms-champ\.csv"/);
    const [header, ...lines] = (await csv.text()).trimEnd().split('\r\n');
    assert.equal(header, 'arm,strategy_id,debtors,paid_debtors,collected_per_debtor_eur,cost_per_debtor_eur,mean_days_to_payment,action,executed,with_result,score_pct,paid_full,paid_partial,promise,arrangement,contacts_reached,collected_last_touch_eur,collected_any_touch_eur,cost_eur,cost_per_euro_collected_cents,cost_per_invoice_eur');
    const cells = lines.map((l) => l.split(','));
    assert.equal(cells.length, 2 * (a.rows.length + 1), 'each arm: its rows and its total');
    for (const arm of [a, b]) {
      const mine = cells.filter((c) => c[0] === arm.arm);
      assert.deepEqual(mine.map((c) => c[7]), [...arm.rows.map((x) => x.action), 'total']);
      const total = mine.at(-1)!;
      assert.deepEqual(total.slice(0, 10), [arm.arm, arm.strategyId, String(arm.debtors), String(arm.paidDebtors), (arm.collectedPerDebtorCents / 100).toFixed(2), (arm.costPerDebtorCents / 100).toFixed(2), arm.meanDaysToPayment!.toFixed(1), 'total', String(arm.total.executed), String(arm.total.withResult)]);
    }
  }

  const unknown = await h.api('/reports/strategy-arms?strategyId=nope');
  assert.equal(unknown.status, 404);
  const body = (await unknown.json()) as { error: { code: string; message: string } };
  assert.equal(body.error.code, 'NOT_FOUND');
  assert.match(body.error.message, /strategy nope does not exist/);
  assert.equal((await h.api('/reports/strategy-arms')).status, 400, 'strategyId is required');
  assert.equal((await h.api('/reports/strategy-arms?strategyId=champ', { role: 'agent' })).status, 403);
});
