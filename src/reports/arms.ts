/**
 * Champion/challenger (issue 13 §5): GET /reports/strategy-arms?strategyId=. The debtors a
 * strategy kept (arm champion) against those its challenger share got (arm challenger):
 * per action (the same rows as the score per action) and in total — collected per debtor,
 * cost per debtor and per euro, days to the first payment — with the challenger's
 * difference, its 95 % interval and whether it is significant (src/reports/stats.ts).
 */
import { BereikError } from '../lib/errors.ts';
import type { Store } from '../store/repositories.ts';
import type { StrategyArm } from '../store/types.ts';
import { parseStrategy, type StrategyDoc } from '../strategy/schema.ts';
import { daysBetween } from '../strategy/segment.ts';
import { CSV_COLUMNS, euros, forEachDebtor, outcomes, rowCells, touches, type ReportSettings } from './actions.ts';
import { toCsv } from './buckets.ts';
import { ActionTable, type Row } from './attribution.ts';
import { Moments, welchDifference, type Difference } from './stats.ts';

export interface ArmSummary {
  arm: StrategyArm;
  strategyId: string;
  debtors: number;
  /** Debtors with a payment since they entered. */
  paidDebtors: number;
  collectedCents: number;
  costCents: number;
  collectedPerDebtorCents: number;
  costPerDebtorCents: number;
  costPerEuroCollectedCents: number | null;
  /** Mean days from entering the strategy to the first payment, over the debtors who paid. */
  meanDaysToPayment: number | null;
  rows: Row[];
  total: Row;
}

export interface ArmsReport {
  strategyId: string;
  challengerId: string | null;
  sharePct: number | null;
  /** Debtors who entered the strategy from … to (local dates, inclusive); null: all. */
  from: string | null;
  to: string | null;
  attributionDays: number;
  arms: { champion: ArmSummary; challenger: ArmSummary };
  /** The challenger's mean less the champion's, with a 95 % interval. */
  comparison: { collectedPerDebtorCents: Difference; costPerDebtorCents: Difference; daysToPayment: Difference };
}

class Arm {
  readonly table: ActionTable;
  readonly collected = new Moments();
  readonly cost = new Moments();
  readonly days = new Moments();
  constructor(
    readonly arm: StrategyArm,
    readonly strategyId: string,
    windowDays: number,
  ) {
    this.table = new ActionTable(windowDays);
  }

  summary(): ArmSummary {
    const { rows, total } = this.table.result();
    const n = this.collected.n;
    const collectedCents = Math.round(this.collected.mean * n);
    const costCents = Math.round(this.cost.mean * n);
    return {
      arm: this.arm, strategyId: this.strategyId, debtors: n, paidDebtors: this.days.n, collectedCents, costCents,
      collectedPerDebtorCents: Math.round(this.collected.mean), costPerDebtorCents: Math.round(this.cost.mean),
      costPerEuroCollectedCents: collectedCents > 0 ? Math.round((costCents * 100) / collectedCents) : null,
      meanDaysToPayment: this.days.n ? Math.round(this.days.mean * 10) / 10 : null,
      rows, total,
    };
  }
}

/** creditors: only debtors who owe them, counted over their claims (a token limited to them); null or absent: everyone. */
export interface ArmsQuery { strategyId: string; challengerId?: string; from?: string; to?: string; attributionDays?: number; creditors?: readonly string[] | null }

export async function strategyArms(
  d: { store: Pick<Store, 'actionReports' | 'strategies'>; settings: ReportSettings; batchSize?: number },
  q: ArmsQuery,
): Promise<ArmsReport> {
  const row = d.store.strategies.get(q.strategyId);
  if (!row) throw new BereikError('NOT_FOUND', `strategy ${q.strategyId} does not exist`);
  const parsed = parseStrategy(JSON.parse(row.json));
  const doc = (parsed.ok ? parsed.strategy : JSON.parse(row.json)) as StrategyDoc;
  const challengerId = q.challengerId ?? doc.challenger?.strategyId ?? null;
  const days = q.attributionDays ?? d.settings.attributionDays;
  const arms = { champion: new Arm('champion', q.strategyId, days), challenger: new Arm('challenger', challengerId ?? '', days) };
  const who = d.store.actionReports.assignments(challengerId ? [q.strategyId, challengerId] : [q.strategyId], q.creditors ?? null);
  const armOf = (a: { strategyId: string; arm: StrategyArm }) =>
    a.strategyId === q.strategyId && a.arm === 'champion' ? arms.champion : a.strategyId === challengerId && a.arm === 'challenger' ? arms.challenger : undefined;
  const seen = new Set<number>();
  await forEachDebtor(d.store, d.batchSize, (debtor) => {
    const a = who.get(debtor.debtorId);
    const arm = a && armOf(a);
    if (!a || !arm || (q.from && a.startedOn < q.from) || (q.to && a.startedOn > q.to)) return;
    seen.add(debtor.debtorId);
    const ts = touches(debtor, d.settings.unitCosts, (x) => x.strategyId === arm.strategyId && x.arm === arm.arm);
    arm.table.addDebtor(ts, outcomes(debtor));
    addDebtor(arm, a.startedOn, ts.filter((t) => t.inScope).reduce((s, t) => s + t.costCents, 0), debtor.payments);
  }, q.creditors ?? null);
  // Debtors in an arm with no action yet still count: nothing collected, nothing spent.
  for (const [debtorId, a] of who) {
    const arm = armOf(a);
    if (arm && !seen.has(debtorId) && !(q.from && a.startedOn < q.from) && !(q.to && a.startedOn > q.to)) addDebtor(arm, a.startedOn, 0, []);
  }
  return {
    strategyId: q.strategyId, challengerId, sharePct: doc.challenger?.sharePct ?? null, from: q.from ?? null, to: q.to ?? null, attributionDays: days,
    arms: { champion: arms.champion.summary(), challenger: arms.challenger.summary() },
    comparison: {
      collectedPerDebtorCents: welchDifference(arms.champion.collected, arms.challenger.collected),
      costPerDebtorCents: welchDifference(arms.champion.cost, arms.challenger.cost),
      daysToPayment: welchDifference(arms.champion.days, arms.challenger.days),
    },
  };
}

function addDebtor(arm: Arm, startedOn: string, costCents: number, payments: ReadonlyArray<{ bookedOn: string; cents: number }>): void {
  const since = payments.filter((p) => p.bookedOn >= startedOn);
  arm.collected.add(since.reduce((s, p) => s + p.cents, 0));
  arm.cost.add(costCents);
  if (since.length) arm.days.add(daysBetween(startedOn, since.reduce((m, p) => (p.bookedOn < m ? p.bookedOn : m), since[0]!.bookedOn)));
}

/**
 * Champion against challenger as CSV: per arm, its figures (debtors, paid, collected and cost
 * per debtor, days to payment) beside each of its score-per-action rows and its total, so a
 * spreadsheet can put the arms side by side. The 95 % intervals are in the JSON (`comparison`).
 */
export function armsCsv(r: ArmsReport): string {
  const lines = [r.arms.champion, r.arms.challenger].flatMap((a) =>
    [...a.rows, a.total].map((row) => [
      a.arm, a.strategyId, a.debtors, a.paidDebtors, euros(a.collectedPerDebtorCents), euros(a.costPerDebtorCents), a.meanDaysToPayment === null ? '' : a.meanDaysToPayment.toFixed(1), ...rowCells(row),
    ]),
  );
  return toCsv(['arm', 'strategy_id', 'debtors', 'paid_debtors', 'collected_per_debtor_eur', 'cost_per_debtor_eur', 'mean_days_to_payment', ...CSV_COLUMNS], lines);
}
