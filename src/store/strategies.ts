/**
 * Strategies, who follows which, and every action planned and done (migration 009,
 * docs/strategy.md). The planner's reads are set-oriented: one batch of debtors (a range of
 * ids with open claims) is read in a handful of range queries over indexes, never a query
 * per debtor, so a million debtors are planned in bounded memory.
 */
import { statement, type Db } from './db.ts';
import { appendEvent } from './events.ts';
import { OPEN_CLAIM_SQL, type ActionChannel, type ActionStatus, type ActionType, type CampaignState, type Language, type Risk, type StrategyArm } from './types.ts';

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
  /** The latest promised date over promised claims (null: none, or none with a date). */
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
const ACTION_COLS = `id, debtor_id AS debtorId, strategy_id AS strategyId, strategy_version AS strategyVersion, arm, segment,
  step_index AS stepIndex, action, kind, template, channel, claim_ids AS claimIds, open_cents AS openCents, event_on AS eventOn,
  planned_for AS plannedFor, status, reason, message_id AS messageId, campaign_id AS campaignId, contact_id AS contactId,
  call_id AS callId, created_at AS createdAt, executed_at AS executedAt`;

/** The next batch of debtors with an open claim, after a debtor id: the facts over all their claims. */
const CLAIM_FACTS = `
  SELECT c.debtor_id AS debtorId,
         sum(c.status IN ${OPEN_CLAIM_SQL}) AS openClaims,
         coalesce(sum(CASE WHEN c.status IN ${OPEN_CLAIM_SQL} THEN max(c.amount_cents - c.paid_cents, 0) END), 0) AS openCents,
         min(CASE WHEN c.status IN ${OPEN_CLAIM_SQL} THEN c.due_date END) AS oldestDueDate,
         group_concat(CASE WHEN c.status IN ${OPEN_CLAIM_SQL} THEN c.creditor END, char(31)) AS creditors,
         group_concat(CASE WHEN c.status IN ${OPEN_CLAIM_SQL} THEN c.id END) AS claimIds,
         sum(c.status = 'promised') AS promised,
         sum(c.status = 'arranged') AS arranged,
         sum(c.status = 'disputed') AS disputed
    FROM claims c
   WHERE c.debtor_id > ? AND c.debtor_id <= ?
   GROUP BY c.debtor_id
  HAVING openClaims > 0
   ORDER BY c.debtor_id
   LIMIT ?`;
const DEBTORS = `
  SELECT d.id, d.risk, d.language, d.time_zone AS timeZone,
         coalesce(trim(d.email), '') <> '' AS hasEmail,
         EXISTS (SELECT 1 FROM opt_outs o WHERE o.channel = 'email' AND o.address = trim(d.email)) AS emailOptedOut
    FROM debtors d WHERE d.id BETWEEN ? AND ?`;
const PHONES = `
  SELECT p.debtor_id AS debtorId, count(*) AS phones, sum(p.status IN ('invalid', 'dead')) AS badPhones,
         sum(EXISTS (SELECT 1 FROM dnc WHERE dnc.e164 = p.e164) AND EXISTS (SELECT 1 FROM opt_outs o WHERE o.channel = 'sms' AND o.address = p.e164)) AS optedOut
    FROM phones p WHERE p.debtor_id BETWEEN ? AND ? GROUP BY p.debtor_id`;
const PROMISES = `
  SELECT c.debtor_id AS debtorId, max(coalesce((SELECT max(x.promise_date) FROM dispositions x WHERE x.claim_id = c.id AND x.kind = 'promise_to_pay'), '9999-12-31')) AS until
    FROM claims c WHERE c.debtor_id BETWEEN ? AND ? AND c.status = 'promised' GROUP BY c.debtor_id`;
const ASSIGNMENTS = `
  SELECT debtor_id AS debtorId, strategy_id AS strategyId, strategy_version AS strategyVersion, arm, started_on AS startedOn, segment
    FROM strategy_assignments WHERE debtor_id BETWEEN ? AND ?`;
const HISTORY = `
  SELECT debtor_id AS debtorId, strategy_id AS strategyId, segment, step_index AS stepIndex, planned_for AS plannedFor, status
    FROM actions WHERE debtor_id BETWEEN ? AND ?`;
const EVENTS = `
  SELECT a.debtor_id AS debtorId, 'no_answer' AS kind, k.last_attempt_at AS at
    FROM actions a JOIN contacts k ON k.id = a.contact_id
   WHERE a.debtor_id BETWEEN @lo AND @hi AND a.contact_id IS NOT NULL AND k.last_outcome IN ('no_answer', 'busy') AND k.last_attempt_at IS NOT NULL
  UNION ALL
  SELECT a.debtor_id, 'message_not_delivered', coalesce(m.done_at, m.updated_at)
    FROM actions a JOIN messages m ON m.id = a.message_id
   WHERE a.debtor_id BETWEEN @lo AND @hi AND a.message_id IS NOT NULL AND m.status IN ('failed', 'expired')
  UNION ALL
  SELECT a.debtor_id, 'link_opened_not_paid', l.first_opened_at
    FROM actions a JOIN message_links l ON l.message_id = a.message_id AND l.kind = 'pay'
   WHERE a.debtor_id BETWEEN @lo AND @hi AND a.message_id IS NOT NULL AND l.first_opened_at IS NOT NULL`;

const ASSIGN = `INSERT INTO strategy_assignments (debtor_id, strategy_id, strategy_version, arm, started_on, assigned_at)
  VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (debtor_id) DO NOTHING`;
const SET_SEGMENT = `UPDATE strategy_assignments SET segment = ? WHERE debtor_id = ? AND segment IS NOT ?`;
const INSERT_ACTION = `INSERT INTO actions (debtor_id, strategy_id, strategy_version, arm, segment, step_index, action, kind, template, channel,
  claim_ids, open_cents, event_on, planned_for, created_at)
  VALUES (@debtorId, @strategyId, @strategyVersion, @arm, @segment, @stepIndex, @action, @kind, @template, @channel,
  @claimIds, @openCents, @eventOn, @plannedFor, @now)`;
const PLANNED = `SELECT ${ACTION_COLS} FROM actions WHERE status = 'planned' AND planned_for <= ? AND id > ? ORDER BY planned_for, id LIMIT ?`;
const FINISH = `UPDATE actions SET status = @status, reason = @reason, message_id = coalesce(@messageId, message_id),
  campaign_id = coalesce(@campaignId, campaign_id), contact_id = coalesce(@contactId, contact_id), executed_at = @now
  WHERE id = @id AND status = 'planned'`;
/** A call step: the debtor's contact in the strategy's call campaign, (again) to be called as soon as the dialer may. */
const QUEUE_CALL = `INSERT INTO contacts (campaign_id, claim_id, debtor_id, created_at, updated_at) VALUES (@campaignId, @claimId, @debtorId, @now, @now)
  ON CONFLICT (campaign_id, claim_id) DO UPDATE SET status = 'pending', next_attempt_at = NULL, paused_reason = NULL, updated_at = excluded.updated_at
  WHERE contacts.status <> 'in_progress'
  RETURNING id`;

type Num = number | bigint;
const splitIds = (s: string | null): number[] => (s ? s.split(',').map(Number) : []);

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

  /** That version; without one, the active version, else the latest. */
  get(id: string, version?: number): StrategyRow | undefined {
    const row =
      version !== undefined
        ? statement(this.db, `SELECT ${STRATEGY_COLS} FROM strategies WHERE id = ? AND version = ?`).get(id, version)
        : statement(this.db, `SELECT ${STRATEGY_COLS} FROM strategies WHERE id = ? ORDER BY active DESC, version DESC LIMIT 1`).get(id);
    return row ? toStrategy(row as StrategyRow & { active: number }) : undefined;
  }

  /** Each strategy once: its active version, else its latest. */
  list(): StrategyRow[] {
    const rows = statement(
      this.db,
      `SELECT ${STRATEGY_COLS} FROM strategies s WHERE s.version = (SELECT x.version FROM strategies x WHERE x.id = s.id ORDER BY x.active DESC, x.version DESC LIMIT 1) ORDER BY s.id`,
    ).all() as Array<StrategyRow & { active: number }>;
    return rows.map(toStrategy);
  }

  /** Every version of a strategy, newest first. */
  versions(id: string): StrategyRow[] {
    return (statement(this.db, `SELECT ${STRATEGY_COLS} FROM strategies WHERE id = ? ORDER BY version DESC`).all(id) as Array<StrategyRow & { active: number }>).map(toStrategy);
  }

  /** The active version of every strategy. */
  active(): StrategyRow[] {
    return (statement(this.db, `SELECT ${STRATEGY_COLS} FROM strategies WHERE active = 1`).all() as Array<StrategyRow & { active: number }>).map(toStrategy);
  }

  /** Up to `limit` debtors with an open claim after `afterId` (ids ≤ `maxId`), everything the planner needs about them. */
  planningBatch(afterId: number, limit: number, maxId = Number.MAX_SAFE_INTEGER): PlanningRow[] {
    const claims = statement(this.db, CLAIM_FACTS).all(afterId, maxId, limit) as Array<{
      debtorId: number; openClaims: number; openCents: number; oldestDueDate: string | null; creditors: string | null; claimIds: string | null;
      promised: number; arranged: number; disputed: number;
    }>;
    if (!claims.length) return [];
    const lo = claims[0]!.debtorId;
    const hi = claims.at(-1)!.debtorId;
    const byId = <T extends { debtorId: number }>(rows: T[]) => new Map(rows.map((r) => [r.debtorId, r]));
    const debtors = new Map((statement(this.db, DEBTORS).all(lo, hi) as Array<{ id: number; risk: Risk; language: Language; timeZone: string; hasEmail: number; emailOptedOut: number }>).map((d) => [d.id, d]));
    const phones = byId(statement(this.db, PHONES).all(lo, hi) as Array<{ debtorId: number; phones: number; badPhones: number; optedOut: number }>);
    const promises = byId(statement(this.db, PROMISES).all(lo, hi) as Array<{ debtorId: number; until: string }>);
    const assignments = byId(statement(this.db, ASSIGNMENTS).all(lo, hi) as Array<NonNullable<PlanningRow['assignment']> & { debtorId: number }>);
    const history = groupBy(statement(this.db, HISTORY).all(lo, hi) as Array<PlanningRow['actions'][number] & { debtorId: number }>);
    const events = groupBy(statement(this.db, EVENTS).all({ lo, hi }) as Array<PlanningRow['events'][number] & { debtorId: number }>);
    const out: PlanningRow[] = [];
    for (const c of claims) {
      const d = debtors.get(c.debtorId);
      if (!d) continue;
      const p = phones.get(c.debtorId);
      const a = assignments.get(c.debtorId);
      out.push({
        debtorId: c.debtorId,
        risk: d.risk,
        language: d.language,
        timeZone: d.timeZone,
        openClaims: c.openClaims,
        openCents: c.openCents,
        oldestDueDate: c.oldestDueDate,
        creditors: c.creditors ? [...new Set(c.creditors.split('\u001f'))] : [],
        claimIds: splitIds(c.claimIds),
        promised: c.promised,
        arranged: c.arranged,
        disputed: c.disputed,
        promisedUntil: promises.get(c.debtorId)?.until ?? null,
        phones: p?.phones ?? 0,
        badPhones: p?.badPhones ?? 0,
        phonesOptedOut: p?.optedOut ?? 0,
        hasEmail: !!d.hasEmail,
        emailOptedOut: !!d.emailOptedOut,
        assignment: a ? { strategyId: a.strategyId, strategyVersion: a.strategyVersion, arm: a.arm, startedOn: a.startedOn, segment: a.segment } : null,
        actions: history.get(c.debtorId) ?? [],
        events: events.get(c.debtorId) ?? [],
      });
    }
    return out;
  }

  /** Assigns debtors to a strategy (a debtor already assigned keeps theirs). */
  assign(rows: NewAssignment[], now: string): void {
    const ins = statement(this.db, ASSIGN);
    this.db.transaction(() => {
      for (const r of rows) ins.run(r.debtorId, r.strategyId, r.strategyVersion, r.arm, r.startedOn, now);
    })();
  }

  /** Records planned actions and the debtors' current segments, as one unit; returns the new action ids in order. */
  recordPlanned(actions: NewAction[], segments: Array<{ debtorId: number; segment: string }>, now: string): number[] {
    const ins = statement(this.db, INSERT_ACTION);
    const seg = statement(this.db, SET_SEGMENT);
    return this.db.transaction(() => {
      for (const s of segments) seg.run(s.segment, s.debtorId, s.segment);
      return actions.map((a) => Number((ins.run({ ...a, claimIds: JSON.stringify(a.claimIds), now }).lastInsertRowid as Num)));
    })();
  }

  /** Planned actions up to a local date, in order, after an action id (keyset paging). */
  planned(upTo: string, afterId: number, limit: number): ActionRow[] {
    return (statement(this.db, PLANNED).all(upTo, afterId, limit) as RawAction[]).map(toAction);
  }

  /** What came of a planned action; false when it was no longer planned (done by someone else). */
  finish(id: number, o: ActionOutcome, now: string): boolean {
    const r = statement(this.db, FINISH).run({ id, status: o.status, reason: o.reason ?? null, messageId: o.messageId ?? null, campaignId: o.campaignId ?? null, contactId: o.contactId ?? null, now });
    return r.changes === 1;
  }

  /** Every action for a debtor, newest first. */
  actionsOf(debtorId: number, limit = 500): ActionRow[] {
    return (statement(this.db, `SELECT ${ACTION_COLS} FROM actions WHERE debtor_id = ? ORDER BY planned_for DESC, id DESC LIMIT ?`).all(debtorId, limit) as RawAction[]).map(toAction);
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
