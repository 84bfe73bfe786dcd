/**
 * Strategies, who follows which, and every action planned and done (migration 009,
 * docs/strategy.md). The planner's reads are set-oriented: one batch of debtors (a range of
 * ids with open claims) is read in a handful of range queries over indexes, never a query
 * per debtor, so a million debtors are planned in bounded memory.
 */
import { inTransaction, statement, type Db } from './db.ts';
import { creditorsParam } from './scope-sql.ts';
import { appendEvent } from './events.ts';
import { OPEN_CLAIM_STATUSES, type ActionChannel, type ClaimStatus, type ActionStatus, type ActionType, type CampaignState, type Language, type Risk, type StrategyArm } from './types.ts';

export interface StrategyRow {
  id: string;
  version: number;
  name: string;
  /** The document as JSON text (src/strategy/schema.ts parses it). */
  json: string;
  active: boolean;
  createdAt: string;
}

/** One debtor as the planner reads them: facts over their open claims, assignment, history, events. */
export interface PlanningRow {
  debtorId: number;
  risk: Risk;
  language: Language;
  timeZone: string;
  openClaims: number;
  openCents: number;
  oldestDueDate: string | null;
  creditors: string[];
  claimIds: number[];
  promised: number;
  arranged: number;
  disputed: number;
  /** The latest promised date over promised claims (null: none; 9999-12-31: promised without a date). */
  promisedUntil: string | null;
  phones: number;
  /** Phones marked invalid or dead. */
  badPhones: number;
  /** Phones both on the do-not-call list and opted out of SMS. */
  phonesOptedOut: number;
  hasEmail: boolean;
  emailOptedOut: boolean;
  assignment: { strategyId: string; strategyVersion: number; arm: StrategyArm; startedOn: string; segment: string | null } | null;
  actions: Array<{ strategyId: string; segment: string; stepIndex: number; plannedFor: string; status: ActionStatus }>;
  /** UTC ISO times of what happened to the strategy's own actions. */
  events: Array<{ kind: 'no_answer' | 'message_not_delivered' | 'link_opened_not_paid'; at: string }>;
}

export interface NewAssignment {
  debtorId: number;
  strategyId: string;
  strategyVersion: number;
  arm: StrategyArm;
  startedOn: string;
  /** The segment on the first day, when known. */
  segment: string | null;
}

export interface NewAction {
  debtorId: number;
  strategyId: string;
  strategyVersion: number;
  arm: StrategyArm;
  segment: string;
  stepIndex: number;
  action: ActionType;
  kind: string | null;
  template: string | null;
  channel: ActionChannel;
  claimIds: number[];
  openCents: number;
  eventOn: string | null;
  plannedFor: string;
}

export interface ActionRow extends NewAction {
  id: number;
  status: ActionStatus;
  reason: string | null;
  messageId: number | null;
  campaignId: number | null;
  contactId: number | null;
  callId: string | null;
  createdAt: string;
  executedAt: string | null;
}

export interface ActionOutcome {
  status: Exclude<ActionStatus, 'planned'>;
  reason?: string | null;
  messageId?: number | null;
  campaignId?: number | null;
  contactId?: number | null;
}

const STRATEGY_COLS = `id, version, name, json, active, created_at AS createdAt`;
/**
 * A strategy (version) a token limited to :creditors may read: one of its segments can take
 * their debtors (it names no creditors, or one of theirs). :creditors NULL: every strategy.
 */
const STRATEGY_IN_SCOPE = `(:creditors IS NULL OR EXISTS (SELECT 1 FROM json_each(strategies.json, '$.segments') seg
    WHERE json_extract(seg.value, '$.match.creditors') IS NULL
       OR EXISTS (SELECT 1 FROM json_each(seg.value, '$.match.creditors') c WHERE c.value IN (SELECT value FROM json_each(:creditors)))))`;
/** An action about :creditors' claims, or about none for a debtor who owes them (as the score per action counts them). */
const ACTION_IN_SCOPE = `(:creditors IS NULL OR EXISTS (SELECT 1 FROM json_each(actions.claim_ids) j JOIN claims k ON k.id = j.value WHERE k.creditor IN (SELECT value FROM json_each(:creditors)))
    OR (json_array_length(actions.claim_ids) = 0 AND EXISTS (SELECT 1 FROM claims s WHERE s.debtor_id = actions.debtor_id AND s.creditor IN (SELECT value FROM json_each(:creditors)))))`;
const ACTION_COLS = `id, debtor_id AS debtorId, strategy_id AS strategyId, strategy_version AS strategyVersion, arm, segment,
  step_index AS stepIndex, action, kind, template, channel, claim_ids AS claimIds, open_cents AS openCents, event_on AS eventOn,
  planned_for AS plannedFor, status, reason, message_id AS messageId, campaign_id AS campaignId, contact_id AS contactId,
  call_id AS callId, created_at AS createdAt, executed_at AS executedAt`;

/** The end of the next range of debtor ids (keyset on the primary key). */
const RANGE_END = `SELECT max(id) FROM (SELECT id FROM debtors WHERE id > ? ORDER BY id LIMIT ?)`;
// The reads below return arrays (raw), aggregated in JS: ~5× faster than SQL aggregates
// with CASE per column, and ~2× faster than row objects (scripts/bench-strategy.ts).
const CLAIMS = `SELECT debtor_id, id, status, amount_cents - paid_cents, due_date, creditor FROM claims WHERE debtor_id BETWEEN ? AND ?`;
const DEBTORS = `
  SELECT d.id, d.risk, d.language, d.time_zone, d.email IS NOT NULL AND trim(d.email) <> '',
         CASE WHEN d.email IS NOT NULL THEN EXISTS (SELECT 1 FROM opt_outs o WHERE o.channel = 'email' AND o.address = trim(d.email)) ELSE 0 END
    FROM debtors d WHERE d.id BETWEEN ? AND ?`;
const PHONES = `
  SELECT p.debtor_id, count(*), sum(p.status IN ('invalid', 'dead')),
         sum(EXISTS (SELECT 1 FROM dnc WHERE dnc.e164 = p.e164) AND EXISTS (SELECT 1 FROM opt_outs o WHERE o.channel = 'sms' AND o.address = p.e164))
    FROM phones p WHERE p.debtor_id BETWEEN ? AND ? GROUP BY p.debtor_id`;
const PROMISES = `
  SELECT c.debtor_id, max(coalesce((SELECT max(x.promise_date) FROM dispositions x WHERE x.claim_id = c.id AND x.kind = 'promise_to_pay'), '9999-12-31'))
    FROM claims c WHERE c.debtor_id BETWEEN ? AND ? AND c.status = 'promised' GROUP BY c.debtor_id`;
const ASSIGNMENTS = `SELECT debtor_id, strategy_id, strategy_version, arm, started_on, segment FROM strategy_assignments WHERE debtor_id BETWEEN ? AND ?`;
/** Each action, and what became of it: an unanswered call, an undelivered message, a pay link opened. */
const HISTORY = `
  SELECT a.debtor_id, a.strategy_id, a.segment, a.step_index, a.planned_for, a.status,
         CASE WHEN k.last_outcome IN ('no_answer', 'busy') THEN k.last_attempt_at END,
         CASE WHEN m.status IN ('failed', 'expired') THEN coalesce(m.done_at, m.updated_at) END,
         CASE WHEN a.message_id IS NOT NULL THEN (SELECT l.first_opened_at FROM message_links l WHERE l.message_id = a.message_id AND l.kind = 'pay') END
    FROM actions a
    LEFT JOIN contacts k ON k.id = a.contact_id
    LEFT JOIN messages m ON m.id = a.message_id
   WHERE a.debtor_id BETWEEN ? AND ?`;

const ASSIGN = `INSERT INTO strategy_assignments (debtor_id, strategy_id, strategy_version, arm, started_on, segment, assigned_at)
  VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (debtor_id) DO NOTHING`;
const SET_SEGMENT = `UPDATE strategy_assignments SET segment = ? WHERE debtor_id = ? AND segment IS NOT ?`;
const INSERT_ACTION = `INSERT INTO actions (debtor_id, strategy_id, strategy_version, arm, segment, step_index, action, kind, template, channel,
  claim_ids, open_cents, event_on, planned_for, created_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
const PLANNED = `SELECT ${ACTION_COLS} FROM actions WHERE status = 'planned' AND planned_for <= ? AND id > ? ORDER BY id LIMIT ?`;
const FINISH = `UPDATE actions SET status = @status, reason = @reason, message_id = coalesce(@messageId, message_id),
  campaign_id = coalesce(@campaignId, campaign_id), contact_id = coalesce(@contactId, contact_id), executed_at = @now
  WHERE id = @id AND status = 'planned'`;
/** A call step: the debtor's contact in the strategy's call campaign, (again) to be called as soon as the dialer may. */
const QUEUE_CALL = `INSERT INTO contacts (campaign_id, claim_id, debtor_id, created_at, updated_at) VALUES (@campaignId, @claimId, @debtorId, @now, @now)
  ON CONFLICT (campaign_id, claim_id) DO UPDATE SET status = 'pending', next_attempt_at = NULL, paused_reason = NULL, updated_at = excluded.updated_at
  WHERE contacts.status <> 'in_progress'
  RETURNING id`;

type Num = number | bigint;
const OPEN = new Set<ClaimStatus>(OPEN_CLAIM_STATUSES);

export class StrategyStore {
  constructor(private readonly db: Db) {}

  /** Stores a new version of the strategy (1 for a new id); active at once when asked, deactivating the old one. */
  save(doc: { id: string; name: string; json: string }, activate: boolean, now: string): StrategyRow {
    return this.db.transaction(() => {
      const last = statement(this.db, `SELECT max(version) FROM strategies WHERE id = ?`).pluck().get(doc.id) as number | null;
      const version = (last ?? 0) + 1;
      statement(this.db, `INSERT INTO strategies (id, version, name, json, active, created_at) VALUES (?, ?, ?, ?, 0, ?)`).run(doc.id, version, doc.name, doc.json, now);
      appendEvent(this.db, { at: now, kind: 'strategy_saved', data: { id: doc.id, version } });
      if (activate) this.activate(doc.id, version, now);
      return this.get(doc.id, version)!;
    })();
  }

  /** Makes this version the one in use; false when it does not exist. */
  activate(id: string, version: number, now: string): boolean {
    return this.db.transaction(() => {
      if (!statement(this.db, `SELECT 1 FROM strategies WHERE id = ? AND version = ?`).get(id, version)) return false;
      statement(this.db, `UPDATE strategies SET active = 0 WHERE id = ? AND active = 1`).run(id);
      statement(this.db, `UPDATE strategies SET active = 1 WHERE id = ? AND version = ?`).run(id, version);
      appendEvent(this.db, { at: now, kind: 'strategy_activated', data: { id, version } });
      return true;
    })();
  }

  /** That version; without one, the active version, else the latest. creditors here and below: only what STRATEGY_IN_SCOPE lets them read. */
  get(id: string, version?: number, creditors: readonly string[] | null = null): StrategyRow | undefined {
    const args = { id, version: version ?? null, creditors: creditorsParam(creditors) };
    const row =
      version !== undefined
        ? statement(this.db, `SELECT ${STRATEGY_COLS} FROM strategies WHERE id = :id AND version = :version AND ${STRATEGY_IN_SCOPE}`).get(args)
        : statement(this.db, `SELECT ${STRATEGY_COLS} FROM strategies WHERE id = :id AND ${STRATEGY_IN_SCOPE} ORDER BY active DESC, version DESC LIMIT 1`).get({ id, creditors: args.creditors });
    return row ? toStrategy(row as StrategyRow & { active: number }) : undefined;
  }

  /** Each strategy once: its active version, else its latest. */
  list(creditors: readonly string[] | null = null): StrategyRow[] {
    const rows = statement(
      this.db,
      `SELECT ${STRATEGY_COLS} FROM strategies WHERE version = (SELECT x.version FROM strategies x WHERE x.id = strategies.id ORDER BY x.active DESC, x.version DESC LIMIT 1)
         AND ${STRATEGY_IN_SCOPE} ORDER BY id`,
    ).all({ creditors: creditorsParam(creditors) }) as Array<StrategyRow & { active: number }>;
    return rows.map(toStrategy);
  }

  /** Every version of a strategy, newest first. */
  versions(id: string, creditors: readonly string[] | null = null): StrategyRow[] {
    return (statement(this.db, `SELECT ${STRATEGY_COLS} FROM strategies WHERE id = :id AND ${STRATEGY_IN_SCOPE} ORDER BY version DESC`).all({ id, creditors: creditorsParam(creditors) }) as Array<StrategyRow & { active: number }>).map(toStrategy);
  }

  /** The active version of every strategy. */
  active(): StrategyRow[] {
    return (statement(this.db, `SELECT ${STRATEGY_COLS} FROM strategies WHERE active = 1`).all() as Array<StrategyRow & { active: number }>).map(toStrategy);
  }

  /**
   * The next `limit` debtors after `afterId` (by id), those of them with an open claim with
   * everything the planner needs; `lastId` is the cursor for the next call, null at the end.
   */
  planningBatch(afterId: number, limit: number): { rows: PlanningRow[]; lastId: number | null } {
    const hi = statement(this.db, RANGE_END).pluck().get(afterId, limit) as number | null;
    if (hi === null) return { rows: [], lastId: null };
    return { rows: this.planningRange(afterId + 1, hi), lastId: hi };
  }

  /** One debtor's planning facts, now (undefined: no open claim). */
  planningRow(debtorId: number): PlanningRow | undefined {
    return this.planningRange(debtorId, debtorId)[0];
  }

  private planningRange(lo: number, hi: number): PlanningRow[] {
    const all = (sql: string) => statement(this.db, sql).raw(true).all(lo, hi) as unknown[][];
    const rows = new Map<number, PlanningRow>();
    for (const [id, risk, language, timeZone, hasEmail, emailOptedOut] of all(DEBTORS) as Array<[number, Risk, Language, string, number, number]>) {
      rows.set(id, {
        debtorId: id, risk, language, timeZone, openClaims: 0, openCents: 0, oldestDueDate: null, creditors: [], claimIds: [],
        promised: 0, arranged: 0, disputed: 0, promisedUntil: null, phones: 0, badPhones: 0, phonesOptedOut: 0,
        hasEmail: !!hasEmail, emailOptedOut: !!emailOptedOut, assignment: null, actions: [], events: [],
      });
    }
    for (const [debtorId, id, status, owed, due, creditor] of all(CLAIMS) as Array<[number, number, ClaimStatus, number, string | null, string]>) {
      const r = rows.get(debtorId);
      if (!r) continue;
      if (status === 'disputed') r.disputed++;
      if (!OPEN.has(status)) continue;
      r.openClaims++;
      r.openCents += Math.max(owed, 0);
      r.claimIds.push(id);
      if (due !== null && (r.oldestDueDate === null || due < r.oldestDueDate)) r.oldestDueDate = due;
      if (!r.creditors.includes(creditor)) r.creditors.push(creditor);
      if (status === 'promised') r.promised++;
      else if (status === 'arranged') r.arranged++;
    }
    for (const [id] of rows) if (rows.get(id)!.openClaims === 0) rows.delete(id);
    if (!rows.size) return [];
    for (const [debtorId, phones, bad, optedOut] of all(PHONES) as Array<[number, number, number, number]>) {
      const r = rows.get(debtorId);
      if (r) Object.assign(r, { phones, badPhones: bad, phonesOptedOut: optedOut });
    }
    for (const [debtorId, until] of all(PROMISES) as Array<[number, string]>) {
      const r = rows.get(debtorId);
      if (r) r.promisedUntil = until;
    }
    for (const [debtorId, strategyId, strategyVersion, arm, startedOn, segment] of all(ASSIGNMENTS) as Array<[number, string, number, StrategyArm, string, string | null]>) {
      const r = rows.get(debtorId);
      if (r) r.assignment = { strategyId, strategyVersion, arm, startedOn, segment };
    }
    for (const [debtorId, strategyId, segment, stepIndex, plannedFor, status, unanswered, undelivered, opened] of all(HISTORY) as Array<
      [number, string, string, number, string, ActionStatus, string | null, string | null, string | null]
    >) {
      const r = rows.get(debtorId);
      if (!r) continue;
      r.actions.push({ strategyId, segment, stepIndex, plannedFor, status });
      if (unanswered) r.events.push({ kind: 'no_answer', at: unanswered });
      if (undelivered) r.events.push({ kind: 'message_not_delivered', at: undelivered });
      if (opened) r.events.push({ kind: 'link_opened_not_paid', at: opened });
    }
    return [...rows.values()];
  }

  /** Assigns debtors to a strategy (a debtor already assigned keeps theirs). */
  assign(rows: NewAssignment[], now: string): void {
    const ins = statement(this.db, ASSIGN);
    this.db.transaction(() => {
      for (const r of rows) ins.run(r.debtorId, r.strategyId, r.strategyVersion, r.arm, r.startedOn, r.segment, now);
    })();
  }

  /** Records planned actions and the debtors' current segments, as one unit; returns the new action ids in order. */
  recordPlanned(actions: NewAction[], segments: Array<{ debtorId: number; segment: string }>, now: string): number[] {
    const ins = statement(this.db, INSERT_ACTION);
    const seg = statement(this.db, SET_SEGMENT);
    return this.db.transaction(() => {
      for (const s of segments) seg.run(s.segment, s.debtorId, s.segment);
      // Positional binding: a named-parameter object per row costs more than the insert itself at this volume.
      return actions.map((a) =>
        Number(
          ins.run(a.debtorId, a.strategyId, a.strategyVersion, a.arm, a.segment, a.stepIndex, a.action, a.kind, a.template, a.channel, `[${a.claimIds.join(',')}]`, a.openCents, a.eventOn, a.plannedFor, now)
            .lastInsertRowid as Num,
        ),
      );
    })();
  }

  /** Planned actions for days up to a local date, in the order they were planned, after an action id (keyset paging). */
  planned(upTo: string, afterId: number, limit: number): ActionRow[] {
    return (statement(this.db, PLANNED).all(upTo, afterId, limit) as RawAction[]).map(toAction);
  }

  /** What came of a planned action; false when it was no longer planned (done by someone else). */
  finish(id: number, o: ActionOutcome, now: string): boolean {
    // In a transaction: an action executed is in the score-per-action rollup in the same commit (src/store/action-rollup.ts).
    const r = inTransaction(this.db, () =>
      statement(this.db, FINISH).run({ id, status: o.status, reason: o.reason ?? null, messageId: o.messageId ?? null, campaignId: o.campaignId ?? null, contactId: o.contactId ?? null, now }),
    );
    return r.changes === 1;
  }

  /** Every action for a debtor, newest first; creditors: those about their claims (ACTION_IN_SCOPE). */
  actionsOf(debtorId: number, limit = 500, creditors: readonly string[] | null = null): ActionRow[] {
    return (statement(this.db, `SELECT ${ACTION_COLS} FROM actions WHERE debtor_id = :debtor AND ${ACTION_IN_SCOPE} ORDER BY planned_for DESC, id DESC LIMIT :limit`).all({ debtor: debtorId, limit, creditors: creditorsParam(creditors) }) as RawAction[]).map(toAction);
  }

  /** Records that the day (local date) was planned; a second run the same day updates it. */
  recordRun(day: string, counts: { planned: number; executed: number }, now: string): void {
    statement(this.db, `INSERT INTO strategy_plan_runs (day, finished_at, planned, executed) VALUES (?, ?, ?, ?)
      ON CONFLICT (day) DO UPDATE SET finished_at = excluded.finished_at, planned = planned + excluded.planned, executed = executed + excluded.executed`).run(day, now, counts.planned, counts.executed);
  }

  /** The latest local day the planner ran for, or null. */
  lastRunDay(): string | null {
    return (statement(this.db, `SELECT max(day) FROM strategy_plan_runs`).pluck().get() as string | null) ?? null;
  }

  /** The campaign a strategy's calls of one kind go through, by its name. */
  campaignNamed(name: string): { id: number; state: CampaignState } | undefined {
    return statement(this.db, `SELECT id, state FROM campaigns WHERE name = ? ORDER BY id DESC LIMIT 1`).get(name) as { id: number; state: CampaignState } | undefined;
  }

  /** Puts the debtor's claim in the call campaign, pending at once; undefined when a call about it is on the line now. */
  queueCall(c: { campaignId: number; claimId: number; debtorId: number }, now: string): number | undefined {
    const id = statement(this.db, QUEUE_CALL).pluck().get({ ...c, now }) as number | undefined;
    if (id !== undefined) appendEvent(this.db, { at: now, kind: 'strategy_call_queued', campaignId: c.campaignId, contactId: id });
    return id;
  }
}

type RawAction = Omit<ActionRow, 'claimIds'> & { claimIds: string };
function toAction(r: RawAction): ActionRow {
  return { ...r, claimIds: JSON.parse(r.claimIds) as number[] };
}

function toStrategy(r: StrategyRow & { active: number | boolean }): StrategyRow {
  return { ...r, active: !!r.active };
}

function groupBy<T extends { debtorId: number }>(rows: T[]): Map<number, T[]> {
  const m = new Map<number, T[]>();
  for (const r of rows) {
    const list = m.get(r.debtorId);
    if (list) list.push(r);
    else m.set(r.debtorId, [r]);
  }
  return m;
}
