import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { MessageComposer } from '../../src/messaging/compose.ts';
import { PaymentService } from '../../src/payments/service.ts';
import { blankEntry } from '../../src/payments/types.ts';
import { ReportService } from '../../src/reports/service.ts';
import { StrategyPlanner } from '../../src/strategy/planner.ts';
import { inChallengerShare, strategyProblems } from '../../src/strategy/schema.ts';
import { memoryStore, seedDebtor } from '../helpers/messages.ts';

const champion = { id: 'default', name: 'SMS first', challenger: { strategyId: 'email-first', sharePct: 30 }, segments: [{ name: 'all', steps: [{ day: 0, action: 'sms' }] }] };
const challenger = { id: 'email-first', name: 'E-mail first', segments: [{ name: 'all', steps: [{ day: 0, action: 'email' }] }] };

test('a challenger share is chosen by debtor id: stable, near the share, and a strategy cannot challenge itself', () => {
  const picks = Array.from({ length: 10_000 }, (_, i) => inChallengerShare('default', i + 1, 30));
  const share = picks.filter(Boolean).length / picks.length;
  assert.ok(share > 0.28 && share < 0.32, `30 % asked, ${(share * 100).toFixed(1)} % got`);
  assert.deepEqual(Array.from({ length: 10_000 }, (_, i) => inChallengerShare('default', i + 1, 30)), picks, 'the same debtors every time');
  assert.ok(picks.every((p, i) => !p || inChallengerShare('default', i + 1, 50)), 'a larger share keeps the debtors of the smaller one');
  assert.deepEqual(strategyProblems({ ...challenger, challenger: { strategyId: 'email-first', sharePct: 10 } }).map((p) => p.rule), ['challenger_self']);
  assert.deepEqual(strategyProblems({ ...champion, challenger: { strategyId: 'x', sharePct: 80 } }).map((p) => `${p.field} ${p.rule}`), ['strategy.challenger.sharePct too_large']);
});

test('new debtors in the share follow the challenger; the arms report compares what each arm collected and spent', async () => {
  const store = memoryStore();
  const clock = new FakeClock('2026-11-23T07:00:00Z'); // Monday 08:00 in Amsterdam
  const log = silentLogger();
  const composer = new MessageComposer({ store, clock, publicUrl: 'https://bereik.example.nl', smsSender: 'number:+3197010587400', emailFrom: 'Incasso <noreply@example.nl>', linkTtlDays: 30 });
  const planner = new StrategyPlanner({ store, clock, log, composer });
  store.strategies.save({ id: 'default', name: champion.name, json: JSON.stringify(champion) }, true, '2026-11-01T00:00:00.000Z');
  store.strategies.save({ id: 'email-first', name: challenger.name, json: JSON.stringify(challenger) }, true, '2026-11-01T00:00:00.000Z');
  const debtors = Array.from({ length: 120 }, () => seedDebtor(store, { claims: [{ cents: 10_000 }] }));
  await planner.planDay();

  const arm = new Map(debtors.map((d) => [d.debtorId, store.strategies.actionsOf(d.debtorId)[0]!]));
  const inShare = debtors.filter((d) => inChallengerShare('default', d.debtorId, 30));
  for (const d of debtors) {
    const a = arm.get(d.debtorId)!;
    const expected = inShare.includes(d) ? ['email-first', 'challenger', 'email'] : ['default', 'champion', 'sms'];
    assert.deepEqual([a.strategyId, a.arm, a.action], expected, `debtor ${d.debtorId}`);
  }
  // The test's own ledger: every challenger debtor pays €100 on day 3, every fourth champion debtor €100 on day 5.
  const payments = new PaymentService({ store, clock, log });
  const ledger = { champion: { n: 0, paid: 0, cents: 0 }, challenger: { n: 0, paid: 0, cents: 0 } };
  debtors.forEach((d, i) => {
    const side = inShare.includes(d) ? ledger.challenger : ledger.champion;
    side.n++;
    const day = side === ledger.challenger ? '2026-11-26' : i % 4 === 0 ? '2026-11-28' : null;
    if (!day) return;
    side.paid++;
    side.cents += 10_000;
    payments.apply({ ...blankEntry('api', 'test'), externalId: `p-${d.debtorId}`, amountCents: 10_000, bookedOn: day, claimId: d.claimIds[0]! }, null, `${day}T10:00:00.000Z`);
  });
  const r = await new ReportService({ store, clock }).arms({ strategyId: 'default' });
  assert.deepEqual([r.challengerId, r.sharePct], ['email-first', 30]);
  const { champion: a, challenger: b } = r.arms;
  assert.deepEqual([a.debtors, a.paidDebtors, a.collectedCents], [ledger.champion.n, ledger.champion.paid, ledger.champion.cents]);
  assert.deepEqual([b.debtors, b.paidDebtors, b.collectedCents], [ledger.challenger.n, ledger.challenger.paid, ledger.challenger.cents]);
  assert.deepEqual([a.meanDaysToPayment, b.meanDaysToPayment], [5, 3]);
  assert.equal(b.collectedPerDebtorCents, 10_000);
  assert.equal(a.rows.find((x) => x.action === 'sms')!.executed, ledger.champion.n);
  assert.equal(b.rows.find((x) => x.action === 'email')!.executed, ledger.challenger.n);
  const diff = r.comparison.collectedPerDebtorCents;
  assert.equal(diff.difference, b.collectedPerDebtorCents - ledger.champion.cents / ledger.champion.n);
  assert.ok(diff.low! > 0 && diff.significant, `the challenger collects more per debtor: ${diff.low}…${diff.high}`);
  assert.equal(r.comparison.daysToPayment.difference, -2);
});
