/**
 * The score per action (issue 13 §4, docs/reports.md): GET /reports/actions and
 * `bereik report actions`. Goes over the debtors in batches (src/store/reports.ts), turns
 * each debtor's executed actions into touches (reached? cost?) and their payments, promises
 * and arrangements into outcomes, and lets src/reports/attribution.ts count them.
 */
import { isoUtc, type Clock } from '../lib/clock.ts';
import { BereikError } from '../lib/errors.ts';
import type { Store } from '../store/repositories.ts';
import type { ReportAction, ReportDebtor } from '../store/reports.ts';
import type { StrategyArm } from '../store/types.ts';
import { debtorFacts, debtorOutcomes, type TouchFacts } from '../lib/action-attribution.ts';
import { plusDays } from '../strategy/segment.ts';
import { ActionTable, type Outcome, type Row, type Touch } from './attribution.ts';
import { toCsv } from './buckets.ts';
import { fromRollup, rollupOrWhyNot, type ReportSource } from './rollup.ts';

export interface UnitCosts {
  smsPartCents: number;
  emailCents: number;
  whatsappCents: number;
  callMinuteCents: number;
  agentMinuteCents: number;
  /** Per external kind; `default` for the others. */
  externalCents: Record<string, number>;
}

export interface ReportSettings {
  attributionDays: number;
  unitCosts: UnitCosts;
}

export const DEFAULT_REPORT_SETTINGS: ReportSettings = {
  attributionDays: 14,
  unitCosts: { smsPartCents: 7, emailCents: 0.5, whatsappCents: 8, callMinuteCents: 2, agentMinuteCents: 60, externalCents: { default: 100, letter: 150, visit: 2500 } },
};

export interface ActionReportFilter {
  /** YYYY-MM-DD, inclusive: the day the action was planned for (the debtor's local date). */
  from?: string;
  to?: string;
  attributionDays?: number;
  campaignId?: number;
  segment?: string;
  strategyId?: string;
  arm?: StrategyArm;
  /** Only what is about these creditors' claims (a token limited to them, src/http/scope.ts); null or absent: every creditor. */
  creditors?: readonly string[] | null;
}

export interface ActionReport {
  from: string;
  to: string;
  attributionDays: number;
  attribution: { lastTouch: string; anyTouch: string; unitCosts: UnitCosts };
  filters: { campaignId: number | null; segment: string | null; strategyId: string | null; arm: StrategyArm | null };
  /** Where the figures come from: the rollup (the configured window) or attribution at query time. */
  source: ReportSource;
  rows: Row[];
  total: Row;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** Without `from`, the report covers 30 days up to `to`. */
const DEFAULT_DAYS = 30;

export class ActionReports {
  constructor(private readonly d: { store: Pick<Store, 'actionReports'>; clock: Clock; settings?: ReportSettings; batchSize?: number; exactOnly?: boolean }) {}

  private get settings(): ReportSettings {
    return this.d.settings ?? DEFAULT_REPORT_SETTINGS;
  }

  async actions(f: ActionReportFilter = {}): Promise<ActionReport> {
    const to = f.to ?? isoUtc(this.d.clock.now()).slice(0, 10);
    const from = f.from ?? plusDays(to, -(DEFAULT_DAYS - 1));
    for (const [name, v] of [['from', from], ['to', to]] as const) {
      if (!DATE.test(v) || Number.isNaN(Date.parse(v))) throw new BereikError('VALIDATION', `query/${name} must be a date YYYY-MM-DD, got "${v}"`);
    }
    if (from > to) throw new BereikError('VALIDATION', `query/from (${from}) must not be after query/to (${to})`);
    const days = f.attributionDays ?? this.settings.attributionDays;
    const filter = { from, to, ...pick(f) };
    const why = this.d.exactOnly ? 'asked for the exact path' : rollupOrWhyNot(this.d.store, days, f);
    const { rows, total } = why === null ? fromRollup(this.d.store, filter, this.settings.unitCosts) : await this.exact({ ...filter, creditors: f.creditors ?? null }, days);
    const source: ReportSource =
      why === null
        ? { path: 'rollup', reason: `the rollup kept for the configured ${days}-day window` }
        : { path: 'exact', reason: `attributed at query time: ${why}` };
    return {
      from, to, attributionDays: days, source,
      attribution: {
        lastTouch: `each payment, promise or arrangement goes to the latest action executed up to ${days} days before it`,
        anyTouch: `each payment goes to every action type that touched the debtor in the ${days} days before it (once per type; the total counts it once)`,
        unitCosts: this.settings.unitCosts,
      },
      filters: { campaignId: f.campaignId ?? null, segment: f.segment ?? null, strategyId: f.strategyId ?? null, arm: f.arm ?? null },
      rows, total,
    };
  }

  /** Attribution at query time, debtor by debtor: any window. */
  async exact(f: ActionReportFilter & { from: string; to: string }, days: number): Promise<{ rows: Row[]; total: Row }> {
    const table = new ActionTable(days);
    const inScope = (a: ReportAction) =>
      a.plannedFor >= f.from &&
      a.plannedFor <= f.to &&
      (f.campaignId === undefined || a.campaignId === f.campaignId) &&
      (f.segment === undefined || a.segment === f.segment) &&
      (f.strategyId === undefined || a.strategyId === f.strategyId) &&
      (f.arm === undefined || a.arm === f.arm);
    await forEachDebtor(this.d.store, this.d.batchSize, (d) => {
      if (!d.actions.some(inScope)) return;
      table.addDebtor(touches(d, this.settings.unitCosts, inScope), outcomes(d));
    }, f.creditors ?? null);
    return table.result();
  }
}

/** The report's dimension filters, without the undefined ones. */
function pick(f: ActionReportFilter): Pick<ActionReportFilter, 'campaignId' | 'segment' | 'strategyId' | 'arm'> {
  return {
    ...(f.campaignId !== undefined ? { campaignId: f.campaignId } : {}),
    ...(f.segment !== undefined ? { segment: f.segment } : {}),
    ...(f.strategyId !== undefined ? { strategyId: f.strategyId } : {}),
    ...(f.arm !== undefined ? { arm: f.arm } : {}),
  };
}

/** Every debtor with an executed action, batch by batch, the event loop served in between; creditors: what is about their claims only. */
export async function forEachDebtor(store: Pick<Store, 'actionReports'>, batchSize = 5000, each: (d: ReportDebtor) => void, creditors: readonly string[] | null = null): Promise<void> {
  for (let after: number | null = 0; after !== null; ) {
    const batch = store.actionReports.batch(after, batchSize, creditors);
    after = batch.lastId;
    for (const d of batch.debtors) each(d);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** What an action type's units cost (the rollup sums units, so cost follows the configured prices). */
export function unitsCost(key: string, u: { units: number; callMs: number; agentMs: number; externalCents: number; externalUnpriced: number }, costs: UnitCosts): number {
  switch (key) {
    case 'sms':
      return u.units * costs.smsPartCents;
    case 'email':
      return u.units * costs.emailCents;
    case 'whatsapp':
      return u.units * costs.whatsappCents;
    case 'call_ivr':
    case 'call_agent':
      return (u.callMs * costs.callMinuteCents + u.agentMs * costs.agentMinuteCents) / 60_000;
    default: {
      const kind = key.slice('external:'.length);
      return u.externalCents + u.externalUnpriced * (costs.externalCents[kind] ?? costs.externalCents.default ?? 0);
    }
  }
}

const touchCost = (t: TouchFacts, costs: UnitCosts) =>
  unitsCost(t.key, { ...t, externalCents: t.externalCents ?? 0, externalUnpriced: t.externalCents === null ? 1 : 0 }, costs);

/** The debtor's executed actions as touches: reached or not, and what each cost. */
export function touches(d: ReportDebtor, costs: UnitCosts, inScope: (a: ReportAction) => boolean): Touch[] {
  return debtorFacts(d).touches.map((t, i) => ({ id: t.id, key: t.key, at: t.at, inScope: inScope(d.actions[i]!), reached: t.reached, costCents: touchCost(t, costs), claimIds: t.claimIds }));
}

/** What the debtor did: payments (full or partial, at the end of the booking day), promises, arrangements. */
export function outcomes(d: ReportDebtor): Outcome[] {
  return debtorOutcomes(d);
}

export const CSV_COLUMNS = [
  'action', 'executed', 'with_result', 'score_pct', 'paid_full', 'paid_partial', 'promise', 'arrangement', 'contacts_reached',
  'collected_last_touch_eur', 'collected_any_touch_eur', 'cost_eur', 'cost_per_euro_collected_cents', 'cost_per_invoice_eur',
] as const;

export const euros = (cents: number | null) => (cents === null ? '' : (cents / 100).toFixed(2));

/** One row of the table as CSV cells, in CSV_COLUMNS order. */
export function rowCells(x: Row): (string | number)[] {
  return [
    x.action, x.executed, x.withResult, x.scorePct.toFixed(1), x.results.paidFull, x.results.paidPartial, x.results.promise, x.results.arrangement, x.contactsReached,
    euros(x.collectedCents.lastTouch), euros(x.collectedCents.anyTouch), euros(x.costCents), x.costPerEuroCollectedCents === null ? '' : x.costPerEuroCollectedCents.toFixed(2), euros(x.costPerInvoiceCents),
  ];
}

/** The table as CSV (comma separated, amounts in euros with a point, one row per action type and the total). */
export function reportCsv(r: ActionReport): string {
  // An imported kind is free text: quoted like every other CSV the reports write.
  return toCsv([...CSV_COLUMNS], [...r.rows.map(rowCells), rowCells(r.total)]);
}
