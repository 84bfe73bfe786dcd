/**
 * The score per action (issue 13 §4), pure: one debtor's executed actions (touches) and
 * what the debtor did (outcomes: payments, promises, arrangements) in, the table's counts
 * out. The reads (src/store/reports.ts) hand the debtors over one by one; memory is one
 * debtor plus the table.
 *
 * Attribution, both models (docs/reports.md):
 *  - an outcome is credited to the actions executed up to `windowDays` calendar days before
 *    it (same day included, never after it: a payment booked on a day counts every action of
 *    that day or before; a promise counts the actions executed before the minute it was made);
 *  - last touch: the latest such action gets it, whole. An action "has a result" when it is
 *    the last touch of at least one outcome; its result is the strongest one
 *    (paid in full > paid partly > arrangement > promise);
 *  - any touch: every action type that touched the debtor in the window gets the payment,
 *    once per type; the total counts each payment once.
 * The last touch is looked for among all the debtor's actions, so an outcome whose last
 * touch is outside the report's filter (another campaign, before the period) is not credited
 * to a row of this one.
 */
import { daysBetween } from '../strategy/segment.ts';

import { RESULT_KINDS, RESULT_STRENGTH as STRENGTH, type ResultKind } from '../lib/action-attribution.ts';

export { RESULT_KINDS, type ResultKind };

export interface Touch {
  id: number;
  /** The table's row: sms, email, call_ivr, call_agent, whatsapp, or external:<kind>. */
  key: string;
  /** When it was executed (UTC ISO). */
  at: string;
  /** Inside the report's filter (period, campaign, segment, strategy, arm). */
  inScope: boolean;
  reached: boolean;
  costCents: number;
  claimIds: readonly number[];
}

export interface Outcome {
  kind: ResultKind;
  /** Payments: the booking day's last instant; promises and arrangements: when recorded (UTC ISO). */
  at: string;
  cents: number;
}

export interface Row {
  action: string;
  executed: number;
  withResult: number;
  scorePct: number;
  results: Record<ResultKind, number>;
  contactsReached: number;
  collectedCents: { lastTouch: number; anyTouch: number };
  costCents: number;
  costPerEuroCollectedCents: number | null;
  costPerInvoiceCents: number | null;
}

/** A row while it is being counted: invoices are counted per debtor (a claim has one debtor). */
export interface Tally {
  executed: number;
  withResult: number;
  results: Record<ResultKind, number>;
  reached: number;
  lastTouch: number;
  anyTouch: number;
  cost: number;
  invoices: number;
}

export const blank = (): Tally => ({ executed: 0, withResult: 0, results: { paidFull: 0, paidPartial: 0, arrangement: 0, promise: 0 }, reached: 0, lastTouch: 0, anyTouch: 0, cost: 0, invoices: 0 });

/** The order rows are shown in; external kinds follow, by name. */
export const ROW_ORDER = ['sms', 'email', 'whatsapp', 'call_ivr', 'call_agent'] as const;

export class ActionTable {
  private readonly rows = new Map<string, Tally>(ROW_ORDER.map((k) => [k, blank()]));
  private readonly total = blank();

  constructor(private readonly windowDays: number) {}

  /** Adds one debtor: touches in any order, outcomes in any order. */
  addDebtor(touches: Touch[], outcomes: readonly Outcome[]): void {
    if (!touches.length) return;
    const sorted = touches.slice().sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id - b.id));
    const best = new Map<Touch, ResultKind>();
    for (const o of outcomes) {
      const day = o.at.slice(0, 10);
      let last: Touch | undefined;
      const anyKeys = new Set<string>();
      for (const t of sorted) {
        if (t.at > o.at) break;
        if (daysBetween(t.at.slice(0, 10), day) > this.windowDays) continue;
        last = t;
        if (t.inScope) anyKeys.add(t.key);
      }
      if (last?.inScope) {
        const had = best.get(last);
        if (!had || STRENGTH[o.kind] > STRENGTH[had]) best.set(last, o.kind);
        this.tally(last.key).lastTouch += o.cents;
        this.total.lastTouch += o.cents;
      }
      for (const k of anyKeys) this.tally(k).anyTouch += o.cents;
      if (anyKeys.size) this.total.anyTouch += o.cents;
    }
    const invoices = new Map<string, Set<number>>();
    const all = new Set<number>();
    for (const t of sorted) {
      if (!t.inScope) continue;
      const r = this.tally(t.key);
      r.executed++;
      r.cost += t.costCents;
      if (t.reached) r.reached++;
      const result = best.get(t);
      if (result) {
        r.withResult++;
        r.results[result]++;
      }
      let s = invoices.get(t.key);
      if (!s) invoices.set(t.key, (s = new Set()));
      for (const c of t.claimIds) {
        s.add(c);
        all.add(c);
      }
    }
    for (const [k, s] of invoices) this.tally(k).invoices += s.size;
    this.total.invoices += all.size;
  }

  private tally(key: string): Tally {
    let t = this.rows.get(key);
    if (!t) this.rows.set(key, (t = blank()));
    return t;
  }

  /** The rows (the five channels always, external kinds when any was done) and the total. */
  result(): { rows: Row[]; total: Row } {
    return tableResult(this.rows, this.total);
  }
}

/**
 * The table from its tallies: one per action type (the five channels always, external kinds
 * present when any was done) and the total's lastTouch, anyTouch and invoices (the rest of the
 * total is the rows' sum).
 */
export function tableResult(tallies: ReadonlyMap<string, Tally>, total: Tally): { rows: Row[]; total: Row } {
  const externals = [...tallies.keys()].filter((k) => !(ROW_ORDER as readonly string[]).includes(k)).sort();
  const rows = [...ROW_ORDER, ...externals].map((k) => finish(k, tallies.get(k) ?? blank()));
  const t: Tally = { ...total, results: { ...total.results } };
  for (const r of tallies.values()) {
    t.executed += r.executed;
    t.withResult += r.withResult;
    t.reached += r.reached;
    t.cost += r.cost;
    for (const k of RESULT_KINDS) t.results[k] += r.results[k];
  }
  return { rows, total: finish('total', t) };
}

function finish(action: string, t: Tally): Row {
  return {
    action,
    executed: t.executed,
    withResult: t.withResult,
    scorePct: t.executed ? Math.round((t.withResult / t.executed) * 1000) / 10 : 0,
    results: { ...t.results },
    contactsReached: t.reached,
    collectedCents: { lastTouch: t.lastTouch, anyTouch: t.anyTouch },
    costCents: Math.round(t.cost),
    // What one euro collected (last touch) cost, in cents: a rate, so two decimals (SMS cost fractions of a cent per euro).
    costPerEuroCollectedCents: t.lastTouch > 0 ? Math.round((t.cost * 100 * 100) / t.lastTouch) / 100 : null,
    costPerInvoiceCents: t.invoices > 0 ? Math.round(t.cost / t.invoices) : null,
  };
}
