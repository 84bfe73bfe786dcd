/**
 * The score per action (issue 13 §4, docs/reports.md): GET /reports/actions and
 * `bereik report actions`. Goes over the debtors in batches (src/store/reports.ts), turns
 * each debtor's executed actions into touches (reached? cost?) and their payments, promises
 * and arrangements into outcomes, and lets src/reports/attribution.ts count them.
 */
import { isoUtc, type Clock } from '../lib/clock.ts';
import { BereikError } from '../lib/errors.ts';
import type { Store } from '../store/repositories.ts';
import type { ReportAction, ReportCall, ReportDebtor } from '../store/reports.ts';
import type { StrategyArm } from '../store/types.ts';
import { plusDays } from '../strategy/segment.ts';
import { ActionTable, type Outcome, type Row, type Touch } from './attribution.ts';
import { toCsv } from './buckets.ts';

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
  rows: Row[];
  total: Row;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** Without `from`, the report covers 30 days up to `to`. */
const DEFAULT_DAYS = 30;

export class ActionReports {
  constructor(private readonly d: { store: Pick<Store, 'actionReports'>; clock: Clock; settings?: ReportSettings; batchSize?: number }) {}

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
    const table = new ActionTable(days);
    const inScope = (a: ReportAction) =>
      a.plannedFor >= from &&
      a.plannedFor <= to &&
      (f.campaignId === undefined || a.campaignId === f.campaignId) &&
      (f.segment === undefined || a.segment === f.segment) &&
      (f.strategyId === undefined || a.strategyId === f.strategyId) &&
      (f.arm === undefined || a.arm === f.arm);
    await forEachDebtor(this.d.store, this.d.batchSize, (d) => {
      if (!d.actions.some(inScope)) return;
      table.addDebtor(touches(d, this.settings.unitCosts, inScope), outcomes(d));
    }, f.creditors ?? null);
    const { rows, total } = table.result();
    return {
      from, to, attributionDays: days,
      attribution: {
        lastTouch: `each payment, promise or arrangement goes to the latest action executed up to ${days} days before it`,
        anyTouch: `each payment goes to every action type that touched the debtor in the ${days} days before it (once per type; the total counts it once)`,
        unitCosts: this.settings.unitCosts,
      },
      filters: { campaignId: f.campaignId ?? null, segment: f.segment ?? null, strategyId: f.strategyId ?? null, arm: f.arm ?? null },
      rows, total,
    };
  }
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

const seconds = (from: string | null, to: string | null) => (from && to ? Math.max(0, (Date.parse(to) - Date.parse(from)) / 1000) : 0);

/** The debtor's executed actions as touches: reached or not, and what each cost. */
export function touches(d: ReportDebtor, costs: UnitCosts, inScope: (a: ReportAction) => boolean): Touch[] {
  const out = d.actions.map((a): Touch & { a: ReportAction } => ({ a, id: a.id, key: a.action === 'external' ? `external:${a.kind ?? 'other'}` : a.action, at: a.executedAt, inScope: inScope(a), reached: false, costCents: 0, claimIds: a.claimIds }));
  const calls = callsByAction(d, out);
  for (const t of out) {
    const a = t.a;
    switch (a.action) {
      case 'sms':
        t.reached = a.messageStatus === 'delivered';
        t.costCents = a.submitted ? (a.parts ?? 1) * costs.smsPartCents : 0;
        break;
      case 'whatsapp':
        t.reached = a.messageStatus === 'delivered';
        t.costCents = a.submitted ? costs.whatsappCents : 0;
        break;
      case 'email':
        // E-mail has no delivery receipt: accepted by the relay and not bounced counts as reached.
        t.reached = a.messageStatus === 'delivered' || a.messageStatus === 'submitted';
        t.costCents = a.submitted ? costs.emailCents : 0;
        break;
      case 'call_ivr':
      case 'call_agent': {
        const mine = calls.get(a.id) ?? [];
        t.reached = mine.some((c) => c.disposition === 'answered');
        const legs = d.calls.filter((g) => g.direction === 'agent' && mine.some((c) => c.id === g.parentCallId));
        const callSec = mine.reduce((s, c) => s + seconds(c.answeredAt, c.endedAt), 0);
        const agentSec = legs.reduce((s, g) => s + seconds(g.answeredAt, g.endedAt), 0);
        t.costCents = (callSec * costs.callMinuteCents + agentSec * costs.agentMinuteCents) / 60;
        break;
      }
      case 'external':
        t.costCents = a.costCents ?? costs.externalCents[a.kind ?? ''] ?? costs.externalCents.default ?? 0;
        break;
    }
  }
  return out;
}

/** Each outbound call about a call action's contact belongs to the latest such action before it. */
function callsByAction(d: ReportDebtor, ts: Array<Touch & { a: ReportAction }>): Map<number, ReportCall[]> {
  const out = new Map<number, ReportCall[]>();
  const callSteps = ts.filter((t) => t.a.contactId !== null && (t.a.action === 'call_ivr' || t.a.action === 'call_agent'));
  if (!callSteps.length) return out;
  for (const c of d.calls) {
    if (c.direction !== 'outbound' || c.contactId === null) continue;
    let owner: (typeof callSteps)[number] | undefined;
    for (const t of callSteps) if (t.a.contactId === c.contactId && t.at <= c.createdAt && (!owner || t.at > owner.at || (t.at === owner.at && t.id > owner.id))) owner = t;
    if (!owner) continue;
    const list = out.get(owner.id);
    if (list) list.push(c);
    else out.set(owner.id, [c]);
  }
  return out;
}

/** What the debtor did: payments (full or partial, at the end of the booking day), promises, arrangements. */
export function outcomes(d: ReportDebtor): Outcome[] {
  return [
    ...d.payments.map((p): Outcome => ({ kind: p.full ? 'paidFull' : 'paidPartial', at: `${p.bookedOn}T23:59:59.999Z`, cents: p.cents })),
    ...d.dispositions.map((x): Outcome => ({ kind: x.kind === 'promise_to_pay' ? 'promise' : 'arrangement', at: x.at, cents: 0 })),
  ];
}

const CSV_COLUMNS = [
  'action', 'executed', 'with_result', 'score_pct', 'paid_full', 'paid_partial', 'promise', 'arrangement', 'contacts_reached',
  'collected_last_touch_eur', 'collected_any_touch_eur', 'cost_eur', 'cost_per_euro_collected_cents', 'cost_per_invoice_eur',
] as const;

const euros = (cents: number | null) => (cents === null ? '' : (cents / 100).toFixed(2));

/** The table as CSV (comma separated, amounts in euros with a point, one row per action type and the total). */
export function reportCsv(r: ActionReport): string {
  const line = (x: Row) => [
    x.action, x.executed, x.withResult, x.scorePct.toFixed(1), x.results.paidFull, x.results.paidPartial, x.results.promise, x.results.arrangement, x.contactsReached,
    euros(x.collectedCents.lastTouch), euros(x.collectedCents.anyTouch), euros(x.costCents), x.costPerEuroCollectedCents === null ? '' : x.costPerEuroCollectedCents.toFixed(2), euros(x.costPerInvoiceCents),
  ];
  // An imported kind is free text: quoted like every other CSV the reports write.
  return toCsv([...CSV_COLUMNS], [...r.rows.map(line), line(r.total)]);
}
