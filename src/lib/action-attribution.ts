/**
 * What one debtor adds to the score-per-action rollup (docs/reports.md, "The rollup"), pure
 * (here, below the store, because the store keeps the rollup and the reports read it too):
 * the debtor's facts (executed actions with what they reached and used, and what the debtor
 * did) in, rollup rows out. The exact path (src/reports/attribution.ts) answers any window and
 * filter by attributing at query time; this computes the same attribution once, for the
 * configured window, into rows a report only has to sum. Facts are also what the store keeps
 * per debtor, so a recomputation can take the old rows out before adding the new ones.
 *
 * Three kinds of column:
 *  - per action (executed, reached, cost units): summed by planned day and dimensions;
 *  - per credited action (with a result, its strongest result, last-touch cents): the
 *    outcome's last touch found here, among all the debtor's actions, so a filter that leaves
 *    the last touch out leaves the outcome out, as the exact path does;
 *  - distinct (invoices; a payment once per action type by any touch): a "first touch in the
 *    range" row per touch, with the day of the previous touch in its group, so a report over
 *    from…to counts a group once by summing the rows whose previous day is before `from`.
 */

/** What the attribution reads of a debtor (src/store/reports.ts reads it: ReportDebtor). */
export interface FactsDebtor {
  actions: ReadonlyArray<{
    id: number;
    action: string;
    kind: string | null;
    executedAt: string;
    plannedFor: string;
    contactId: number | null;
    campaignId: number | null;
    segment: string;
    strategyId: string;
    arm: string;
    claimIds: readonly number[];
    /** The message it sent: its status, SMS parts, whether it left Bereik. */
    messageStatus: string | null;
    parts: number | null;
    submitted: boolean;
    /** Imported actions: what the file says it cost. */
    costCents: number | null;
  }>;
  calls: readonly FactsCall[];
  payments: ReadonlyArray<{ cents: number; bookedOn: string; full: boolean }>;
  dispositions: ReadonlyArray<{ kind: 'promise_to_pay' | 'payment_arrangement'; at: string }>;
}

export interface FactsCall {
  id: string;
  direction: string;
  contactId: number | null;
  parentCallId: string | null;
  createdAt: string;
  disposition: string | null;
  answeredAt: string | null;
  endedAt: string | null;
}

export const RESULT_KINDS = ['paidFull', 'paidPartial', 'arrangement', 'promise'] as const;
export type ResultKind = (typeof RESULT_KINDS)[number];
/** Stronger results first: an action that led to a promise and then a full payment counts as paid in full. */
export const RESULT_STRENGTH: Record<ResultKind, number> = { paidFull: 4, paidPartial: 3, arrangement: 2, promise: 1 };

/** An executed action as the attribution sees it. */
export interface TouchFacts {
  id: number;
  /** The table's row: sms, email, call_ivr, call_agent, whatsapp, or external:<kind>. */
  key: string;
  /** Executed at (UTC ISO). */
  at: string;
  /** Planned for (the debtor's local date): the report's period. */
  day: string;
  /** 0: none. */
  campaignId: number;
  segment: string;
  strategyId: string;
  arm: string;
  claimIds: readonly number[];
  reached: boolean;
  /** SMS parts sent, or 1 for an e-mail or WhatsApp message sent. */
  units: number;
  callMs: number;
  agentMs: number;
  /** External: what the import says it cost; null: the unit cost of its kind. */
  externalCents: number | null;
}

export interface OutcomeFacts {
  kind: ResultKind;
  /** Payments: the booking day's last instant; promises and arrangements: when recorded (UTC ISO). */
  at: string;
  cents: number;
}

export interface DebtorFacts {
  touches: TouchFacts[];
  outcomes: OutcomeFacts[];
}

const ms = (from: string | null, to: string | null) => (from && to ? Math.max(0, Date.parse(to) - Date.parse(from)) : 0);

/** The debtor's executed actions and outcomes as facts (what reached, what was used: cost is applied later). */
export function debtorFacts(d: FactsDebtor): DebtorFacts {
  const calls = callsByAction(d);
  const touches = d.actions.map((a): TouchFacts => {
    const t: TouchFacts = {
      id: a.id, key: a.action === 'external' ? `external:${a.kind ?? 'other'}` : a.action, at: a.executedAt, day: a.plannedFor,
      campaignId: a.campaignId ?? 0, segment: a.segment, strategyId: a.strategyId, arm: a.arm, claimIds: a.claimIds,
      reached: false, units: 0, callMs: 0, agentMs: 0, externalCents: null,
    };
    switch (a.action) {
      case 'sms':
        t.reached = a.messageStatus === 'delivered';
        t.units = a.submitted ? (a.parts ?? 1) : 0;
        break;
      case 'whatsapp':
        t.reached = a.messageStatus === 'delivered';
        t.units = a.submitted ? 1 : 0;
        break;
      case 'email':
        // E-mail has no delivery receipt: accepted by the relay and not bounced counts as reached.
        t.reached = a.messageStatus === 'delivered' || a.messageStatus === 'submitted';
        t.units = a.submitted ? 1 : 0;
        break;
      case 'call_ivr':
      case 'call_agent': {
        const mine = calls.get(a.id) ?? [];
        t.reached = mine.some((c) => c.disposition === 'answered');
        t.callMs = mine.reduce((s, c) => s + ms(c.answeredAt, c.endedAt), 0);
        t.agentMs = d.calls.filter((g) => g.direction === 'agent' && mine.some((c) => c.id === g.parentCallId)).reduce((s, g) => s + ms(g.answeredAt, g.endedAt), 0);
        break;
      }
      case 'external':
        t.externalCents = a.costCents;
        break;
    }
    return t;
  });
  return { touches, outcomes: debtorOutcomes(d) };
}

/** What the debtor did: payments (full or partial, at the end of the booking day), promises, arrangements. */
export function debtorOutcomes(d: FactsDebtor): OutcomeFacts[] {
  return [
    ...d.payments.map((p): OutcomeFacts => ({ kind: p.full ? 'paidFull' : 'paidPartial', at: `${p.bookedOn}T23:59:59.999Z`, cents: p.cents })),
    ...d.dispositions.map((x): OutcomeFacts => ({ kind: x.kind === 'promise_to_pay' ? 'promise' : 'arrangement', at: x.at, cents: 0 })),
  ];
}

/** Each outbound call about a call action's contact belongs to the latest such action before it. */
function callsByAction(d: FactsDebtor): Map<number, FactsCall[]> {
  const out = new Map<number, FactsCall[]>();
  const steps = d.actions.filter((a) => a.contactId !== null && (a.action === 'call_ivr' || a.action === 'call_agent'));
  if (!steps.length) return out;
  for (const c of d.calls) {
    if (c.direction !== 'outbound' || c.contactId === null) continue;
    let owner: (typeof steps)[number] | undefined;
    for (const a of steps) if (a.contactId === c.contactId && a.executedAt <= c.createdAt && (!owner || a.executedAt > owner.executedAt || (a.executedAt === owner.executedAt && a.id > owner.id))) owner = a;
    if (!owner) continue;
    const list = out.get(owner.id);
    if (list) list.push(c);
    else out.set(owner.id, [c]);
  }
  return out;
}

const dayNumber = (day: string) => Math.round(Date.parse(`${day}T00:00:00Z`) / 86_400_000);

export const byTime = (a: TouchFacts, b: TouchFacts) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id - b.id);

/**
 * The outcomes' attribution: for each outcome, the touches up to `windowDays` calendar days
 * before it (by execution day; same day included, never after it) in execution order, and its
 * last touch. `touches` must be sorted by byTime.
 */
export function attributeOutcomes(sorted: readonly TouchFacts[], outcomes: readonly OutcomeFacts[], windowDays: number): Array<{ outcome: OutcomeFacts; window: TouchFacts[]; last: TouchFacts | undefined }> {
  return outcomes.map((o) => {
    const day = dayNumber(o.at.slice(0, 10));
    const window: TouchFacts[] = [];
    for (const t of sorted) {
      if (t.at > o.at) break;
      if (day - dayNumber(t.at.slice(0, 10)) > windowDays) continue;
      window.push(t);
    }
    return { outcome: o, window, last: window.at(-1) };
  });
}

/** Additive columns of action_rollup, in its order after the key. */
export const ROLLUP_COLUMNS = [
  'executed', 'with_result', 'paid_full', 'paid_partial', 'arrangement', 'promise', 'reached', 'last_touch_cents', 'units', 'call_ms', 'agent_ms', 'external_cents', 'external_unpriced',
] as const;
export const DISTINCT_COLUMNS = ['invoices', 'any_touch_cents'] as const;
const RESULT_COLUMN: Record<ResultKind, number> = { paidFull: 2, paidPartial: 3, arrangement: 4, promise: 5 };

/** Rows by key: the key's fields joined by \t (action_rollup: day, campaign, segment, strategy, arm, action key). */
export type RollupRows = Map<string, number[]>;

export interface Contribution {
  rows: RollupRows;
  /** action_rollup_distinct: day, varying, grouped, campaign, segment, strategy, arm, action key, previous day. */
  distinct: RollupRows;
}

const add = (m: RollupRows, key: string, width: number, i: number, v: number) => {
  let r = m.get(key);
  if (!r) m.set(key, (r = new Array<number>(width).fill(0)));
  r[i]! += v;
};

const DIMS = [(t: TouchFacts) => t.campaignId, (t: TouchFacts) => t.segment, (t: TouchFacts) => t.strategyId, (t: TouchFacts) => t.arm] as const;
const dims = (t: TouchFacts) => `${t.campaignId}\t${t.segment}\t${t.strategyId}\t${t.arm}`;

/** What one debtor adds to the rollup under a window of `windowDays`. */
export function contribution(f: DebtorFacts, windowDays: number): Contribution {
  const rows: RollupRows = new Map();
  const distinct: RollupRows = new Map();
  if (!f.touches.length) return { rows, distinct };
  const sorted = f.touches.slice().sort(byTime);
  const best = new Map<TouchFacts, ResultKind>();
  const lastCents = new Map<TouchFacts, number>();
  // Distinct groups: a claim or a payment, per action type and '*' (the total).
  const groups = new Map<string, { cents: number; key: string; touches: TouchFacts[] }>();
  const join = (id: string, key: string, cents: number, t: TouchFacts) => {
    const g = `${id}\t${key}`;
    let x = groups.get(g);
    if (!x) groups.set(g, (x = { cents, key, touches: [] }));
    x.touches.push(t);
  };
  attributeOutcomes(sorted, f.outcomes, windowDays).forEach(({ outcome: o, window, last }, i) => {
    if (last) {
      const had = best.get(last);
      if (!had || RESULT_STRENGTH[o.kind] > RESULT_STRENGTH[had]) best.set(last, o.kind);
      lastCents.set(last, (lastCents.get(last) ?? 0) + o.cents);
    }
    if (o.cents === 0) return;
    for (const t of window) {
      join(`p${i}`, t.key, o.cents, t);
      join(`p${i}`, '*', o.cents, t);
    }
  });
  const W = ROLLUP_COLUMNS.length;
  for (const t of sorted) {
    const k = `${t.day}\t${dims(t)}\t${t.key}`;
    add(rows, k, W, 0, 1);
    const result = best.get(t);
    if (result) {
      add(rows, k, W, 1, 1);
      add(rows, k, W, RESULT_COLUMN[result], 1);
    }
    if (t.reached) add(rows, k, W, 6, 1);
    if (lastCents.has(t)) add(rows, k, W, 7, lastCents.get(t)!);
    if (t.units) add(rows, k, W, 8, t.units);
    if (t.callMs) add(rows, k, W, 9, t.callMs);
    if (t.agentMs) add(rows, k, W, 10, t.agentMs);
    if (t.key.startsWith('external:')) {
      if (t.externalCents === null) add(rows, k, W, 12, 1);
      else add(rows, k, W, 11, t.externalCents);
    }
    for (const c of t.claimIds) {
      join(`c${c}`, t.key, 0, t);
      join(`c${c}`, '*', 0, t);
    }
  }
  for (const g of groups.values()) firstTouchRows(distinct, g.touches, g.key, g.cents ? 1 : 0, g.cents);
  return { rows, distinct };
}

/**
 * One group's "first touch in the range" rows. For each subset `grouped` of the dimensions
 * that vary in the group, each touch's previous touch is looked for among the group's touches
 * with the same values of those dimensions, in planned order.
 */
function firstTouchRows(out: RollupRows, touches: TouchFacts[], key: string, which: 0 | 1, cents: number): void {
  touches.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.id - b.id));
  let varying = 0;
  const first = touches[0]!;
  for (const t of touches) for (let b = 0; b < 4; b++) if (DIMS[b]!(t) !== DIMS[b]!(first)) varying |= 1 << b;
  const v = which === 0 ? 1 : cents;
  // Every subset of `varying`, itself included.
  for (let grouped = varying; ; grouped = (grouped - 1) & varying) {
    const last = new Map<string, string>();
    for (const t of touches) {
      let p = '';
      for (let b = 0; b < 4; b++) if (grouped & (1 << b)) p += `${DIMS[b]!(t)}\t`;
      const prev = last.get(p) ?? '';
      last.set(p, t.day);
      add(out, `${t.day}\t${varying}\t${grouped}\t${dims(t)}\t${key}\t${prev}`, 2, which, v);
    }
    if (grouped === 0) break;
  }
}

/** new − old, without the rows that did not change. */
export function difference(oldRows: RollupRows, newRows: RollupRows): RollupRows {
  const out: RollupRows = new Map();
  for (const [k, n] of newRows) {
    const o = oldRows.get(k);
    const d = o ? n.map((x, i) => x - o[i]!) : n.slice();
    if (d.some((x) => x !== 0)) out.set(k, d);
  }
  for (const [k, o] of oldRows) if (!newRows.has(k)) out.set(k, o.map((x) => -x));
  return out;
}

/** Adds `from` into `into` (a batch's rows). */
export function addRows(into: RollupRows, from: RollupRows): void {
  for (const [k, r] of from) {
    const x = into.get(k);
    if (!x) into.set(k, r.slice());
    else for (let i = 0; i < r.length; i++) x[i]! += r[i]!;
  }
}

/** The facts as stored (compact arrays; the rollup's recomputation reads them back). */
export function packFacts(f: DebtorFacts): string {
  return JSON.stringify([
    f.touches.map((t) => [t.id, t.key, t.at, t.day, t.campaignId, t.segment, t.strategyId, t.arm, t.claimIds, t.reached ? 1 : 0, t.units, t.callMs, t.agentMs, t.externalCents]),
    f.outcomes.map((o) => [o.kind, o.at, o.cents]),
  ]);
}

export function unpackFacts(s: string): DebtorFacts {
  const [ts, os] = JSON.parse(s) as [unknown[][], unknown[][]];
  return {
    touches: ts.map(([id, key, at, day, campaignId, segment, strategyId, arm, claimIds, reached, units, callMs, agentMs, externalCents]) => ({
      id, key, at, day, campaignId, segment, strategyId, arm, claimIds, reached: reached === 1, units, callMs, agentMs, externalCents,
    }) as TouchFacts),
    outcomes: os.map(([kind, at, cents]) => ({ kind, at, cents }) as OutcomeFacts),
  };
}
