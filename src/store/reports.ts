/**
 * What the score per action reads (docs/reports.md), per range of debtor ids like the
 * planner: each debtor's executed actions with their message, the calls they led to, the
 * payments and the promises and arrangements. A handful of range queries over indexes per
 * batch, raw arrays aggregated in src/reports/; never a query per action. Also: imported
 * actions done elsewhere (letters), and the debtors of a strategy's arms.
 */
import type { FactsCall } from '../lib/action-attribution.ts';
import { ActionRollup } from './action-rollup.ts';
import { statement, type Db } from './db.ts';
import { creditorsParam } from './scope-sql.ts';
import { appendEvent } from './events.ts';
import type { ActionType, StrategyArm } from './types.ts';

export interface ReportAction {
  id: number;
  action: ActionType;
  kind: string | null;
  executedAt: string;
  contactId: number | null;
  strategyId: string;
  segment: string;
  campaignId: number | null;
  arm: StrategyArm;
  plannedFor: string;
  claimIds: number[];
  /** The message it sent: its status, SMS parts, whether it left Bereik. */
  messageStatus: string | null;
  parts: number | null;
  submitted: boolean;
  /** Imported actions: what the file says it cost. */
  costCents: number | null;
}

/** A call of the debtor's (outbound, or an agent leg of one). */
export type ReportCall = FactsCall;

export interface ReportPayment {
  claimId: number;
  cents: number;
  bookedOn: string;
  /** This payment brought the claim to paid in full. */
  full: boolean;
}

export interface ReportDisposition {
  kind: 'promise_to_pay' | 'payment_arrangement';
  at: string;
}

export interface ReportDebtor {
  debtorId: number;
  actions: ReportAction[];
  calls: ReportCall[];
  payments: ReportPayment[];
  dispositions: ReportDisposition[];
}

export interface ImportedAction {
  debtorId: number;
  kind: string;
  /** YYYY-MM-DD */
  on: string;
  costCents: number | null;
  campaignId: number | null;
}

const RANGE_END = `SELECT max(id) FROM (SELECT id FROM debtors WHERE id > ? ORDER BY id LIMIT ?)`;
/**
 * A token limited to :creditors (a JSON array; NULL: every creditor, src/http/scope.ts) counts
 * only what is about their claims: actions naming one of them (or no claim, for a debtor who
 * owes one of them: an imported letter), calls to their contacts (or to no contact), and the
 * payments, promises and arrangements on their claims.
 */
const IN_CREDITORS = `(SELECT value FROM json_each(:creditors))`;
const ACTIONS = `
  SELECT a.debtor_id, a.id, a.action, a.kind, a.executed_at, a.contact_id, a.strategy_id, a.segment, a.campaign_id, a.arm, a.planned_for,
         a.claim_ids, m.status, m.parts, m.submitted_at IS NOT NULL, a.cost_cents
    FROM actions a LEFT JOIN messages m ON m.id = a.message_id
   WHERE a.debtor_id BETWEEN :lo AND :hi AND a.status = 'executed' AND a.executed_at IS NOT NULL
     AND (:creditors IS NULL OR EXISTS (SELECT 1 FROM json_each(a.claim_ids) j JOIN claims k ON k.id = j.value WHERE k.creditor IN ${IN_CREDITORS})
          OR (json_array_length(a.claim_ids) = 0 AND EXISTS (SELECT 1 FROM claims s WHERE s.debtor_id = a.debtor_id AND s.creditor IN ${IN_CREDITORS})))`;
const CALLS = `SELECT debtor_id, id, direction, contact_id, parent_call_id, created_at, disposition, answered_at, ended_at FROM calls WHERE debtor_id BETWEEN :lo AND :hi
     AND (:creditors IS NULL OR contact_id IS NULL OR contact_id IN (SELECT ct.id FROM contacts ct JOIN claims k ON k.id = ct.claim_id WHERE k.creditor IN ${IN_CREDITORS}))`;
// CROSS JOIN keeps SQLite from scanning every matched payment (payments_by_status) per batch.
const PAYMENTS = `
  SELECT c.debtor_id, p.claim_id, p.amount_cents, p.booked_on, c.amount_cents
    FROM claims c CROSS JOIN payments p ON p.claim_id = c.id
   WHERE c.debtor_id BETWEEN :lo AND :hi AND p.kind = 'payment' AND p.status = 'matched' AND (:creditors IS NULL OR c.creditor IN ${IN_CREDITORS})
   ORDER BY p.claim_id, p.booked_on, p.id`;
const DISPOSITIONS = `
  SELECT c.debtor_id, d.kind, d.created_at
    FROM claims c JOIN dispositions d ON d.claim_id = c.id AND d.kind IN ('promise_to_pay', 'payment_arrangement')
   WHERE c.debtor_id BETWEEN :lo AND :hi AND (:creditors IS NULL OR c.creditor IN ${IN_CREDITORS})`;
const ASSIGNMENTS = `SELECT debtor_id, strategy_id, arm, started_on FROM strategy_assignments a WHERE strategy_id = :id
     AND (:creditors IS NULL OR EXISTS (SELECT 1 FROM claims s WHERE s.debtor_id = a.debtor_id AND s.creditor IN ${IN_CREDITORS}))`;

export class ReportStore {
  /** The score per action kept as day rows (migration 018): the report's fast path. */
  readonly rollup: ActionRollup;

  constructor(private readonly db: Db) {
    this.rollup = new ActionRollup(db, this);
  }

  /**
   * The next `limit` debtor ids after `afterId` with what the report needs; `lastId` null at the end.
   * creditors: only what is about their claims (see IN_CREDITORS); null: everything.
   */
  batch(afterId: number, limit: number, creditors: readonly string[] | null = null): { debtors: ReportDebtor[]; lastId: number | null } {
    const hi = statement(this.db, RANGE_END).pluck().get(afterId, limit) as number | null;
    if (hi === null) return { debtors: [], lastId: null };
    return { debtors: this.range(afterId + 1, hi, creditors), lastId: hi };
  }

  /** One debtor with what the report needs (every creditor's); undefined without an executed action (or when gone). */
  debtor(id: number): ReportDebtor | undefined {
    return this.range(id, id, null)[0];
  }

  /** The debtors with ids lo…hi that have an executed action; creditors: only what is about their claims. */
  private range(lo: number, hi: number, creditors: readonly string[] | null): ReportDebtor[] {
    const args = { lo, hi, creditors: creditorsParam(creditors) };
    const all = (sql: string) => statement(this.db, sql).raw(true).all(args) as unknown[][];
    const by = new Map<number, ReportDebtor>();
    const debtor = (id: number) => {
      let d = by.get(id);
      if (!d) by.set(id, (d = { debtorId: id, actions: [], calls: [], payments: [], dispositions: [] }));
      return d;
    };
    for (const r of all(ACTIONS)) {
      const [debtorId, id, action, kind, executedAt, contactId, strategyId, segment, campaignId, arm, plannedFor, claimIds, messageStatus, parts, submitted, costCents] = r as [
        number, number, ActionType, string | null, string, number | null, string, string, number | null, StrategyArm, string, string, string | null, number | null, number, number | null,
      ];
      debtor(debtorId).actions.push({
        id, action, kind, executedAt, contactId, strategyId, segment, campaignId, arm, plannedFor,
        claimIds: claimIds.length > 2 ? claimIds.slice(1, -1).split(',').map(Number) : [],
        messageStatus, parts, submitted: !!submitted, costCents,
      });
    }
    if (!by.size) return [];
    for (const r of all(CALLS)) {
      const d = by.get(r[0] as number);
      if (!d) continue;
      const [, id, direction, contactId, parentCallId, createdAt, disposition, answeredAt, endedAt] = r as [number, string, string, number | null, string | null, string, string | null, string | null, string | null];
      d.calls.push({ id, direction, contactId, parentCallId, createdAt, disposition, answeredAt, endedAt });
    }
    let claim = -1;
    let paid = 0;
    for (const r of all(PAYMENTS)) {
      const [debtorId, claimId, cents, bookedOn, amount] = r as [number, number, number, string, number];
      if (claimId !== claim) [claim, paid] = [claimId, 0];
      const full = paid < amount && paid + cents >= amount;
      paid += cents;
      by.get(debtorId)?.payments.push({ claimId, cents, bookedOn, full });
    }
    for (const r of all(DISPOSITIONS)) {
      const [debtorId, kind, at] = r as [number, ReportDisposition['kind'], string];
      by.get(debtorId)?.dispositions.push({ kind, at });
    }
    return [...by.values()];
  }

  /** An import file already read (by its SHA-256): its id and row count. */
  importedFile(sha256: string): { id: number; rows: number } | undefined {
    return statement(this.db, `SELECT id, rows FROM action_imports WHERE sha256 = ?`).get(sha256) as { id: number; rows: number } | undefined;
  }

  /** Records actions done elsewhere as executed actions of the pseudo-strategy "import", with the file, as one unit. */
  importActions(file: { sha256: string; name: string | null }, rows: ImportedAction[], now: string): number {
    return this.db.transaction(() => {
      const importId = Number(statement(this.db, `INSERT INTO action_imports (sha256, name, rows, created_at) VALUES (?, ?, ?, ?)`).run(file.sha256, file.name, rows.length, now).lastInsertRowid);
      const ins = statement(
        this.db,
        `INSERT INTO actions (debtor_id, strategy_id, strategy_version, arm, segment, step_index, action, kind, channel, claim_ids, open_cents, planned_for, status,
           campaign_id, created_at, executed_at, import_id, cost_cents)
         VALUES (@debtorId, 'import', 0, 'champion', 'import', -1, 'external', @kind, 'external',
           coalesce((SELECT json_group_array(id) FROM claims WHERE debtor_id = @debtorId AND status IN ('open', 'promised', 'arranged')), '[]'),
           coalesce((SELECT sum(max(amount_cents - paid_cents, 0)) FROM claims WHERE debtor_id = @debtorId AND status IN ('open', 'promised', 'arranged')), 0),
           @on, 'executed', @campaignId, @now, @executedAt, @importId, @costCents)`,
      );
      for (const r of rows) ins.run({ ...r, now, executedAt: `${r.on}T12:00:00.000Z`, importId });
      appendEvent(this.db, { at: now, kind: 'actions_imported', data: { importId, rows: rows.length } });
      return importId;
    })();
  }

  /** Who follows these strategies: debtor id → strategy, arm and the local date they entered it; creditors: only debtors who owe one of them. */
  assignments(strategyIds: readonly string[], creditors: readonly string[] | null = null): Map<number, { strategyId: string; arm: StrategyArm; startedOn: string }> {
    const out = new Map<number, { strategyId: string; arm: StrategyArm; startedOn: string }>();
    const q = statement(this.db, ASSIGNMENTS).raw(true);
    for (const id of strategyIds) {
      for (const [debtorId, strategyId, arm, startedOn] of q.iterate({ id, creditors: creditorsParam(creditors) }) as Iterable<[number, string, StrategyArm, string]>) out.set(debtorId, { strategyId, arm, startedOn });
    }
    return out;
  }

  /** Debtor ids by external reference (the import's lookup), for the refs asked. */
  debtorsByRef(refs: readonly string[]): Map<string, number> {
    const q = statement(this.db, `SELECT id FROM debtors WHERE external_ref = ?`).pluck();
    const out = new Map<string, number>();
    for (const ref of new Set(refs)) {
      const id = q.get(ref) as number | undefined;
      if (id !== undefined) out.set(ref, id);
    }
    return out;
  }
}
