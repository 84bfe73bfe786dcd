/**
 * What an agent recorded after a conversation. One transaction writes the disposition,
 * moves the claim to the status it implies, books a callback when asked, and appends
 * to the event log, so the operator's view never shows half of it.
 */
import type { Db } from './db.ts';
import { addCallback } from './callbacks.ts';

import type { ClaimStatus, DispositionKind } from './types.ts';

export type { DispositionKind } from './types.ts';

export interface NewDisposition {
  /** null: recorded by an operator in the console, not after an agent's conversation. */
  agentId: number | null;
  claimId: number;
  debtorId: number;
  /** The debtor's call the conversation was on, if known. */
  callId: string | null;
  kind: DispositionKind;
  promiseDate?: string | null;
  amountCents?: number | null;
  callbackAt?: string | null;
  note?: string | null;
  /** Who recorded it, for the event log: an agent or operator (default), or the debtor's reply. */
  source?: 'agent' | 'reply';
  /** The inbound message a reply-promise came in (source 'reply'). */
  inboundId?: number;
  now: string;
}

export interface DispositionRow {
  id: number;
  callId: string | null;
  agentId: number | null;
  claimId: number | null;
  kind: DispositionKind;
  promiseDate: string | null;
  amountCents: number | null;
  callbackAt: string | null;
  note: string | null;
  createdAt: string;
}

/** The claim status a disposition leads to; null leaves it as it is. Paid/closed claims are never reopened. */
export const CLAIM_STATUS_AFTER: Record<DispositionKind, Extract<ClaimStatus, 'promised' | 'arranged' | 'disputed'> | null> = {
  promise_to_pay: 'promised',
  payment_arrangement: 'arranged',
  dispute: 'disputed',
  wrong_person: null,
  callback: null,
  other: null,
};

const COLS = `id, call_id AS callId, agent_id AS agentId, claim_id AS claimId, kind, promise_date AS promiseDate,
  amount_cents AS amountCents, callback_at AS callbackAt, note, created_at AS createdAt`;

export function recordDisposition(db: Db, d: NewDisposition): DispositionRow {
  return db.transaction(() => {
    const id = Number(
      db
        .prepare(
          `INSERT INTO dispositions (call_id, agent_id, claim_id, kind, promise_date, amount_cents, callback_at, note, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(d.callId, d.agentId, d.claimId, d.kind, d.promiseDate ?? null, d.amountCents ?? null, d.callbackAt ?? null, d.note ?? null, d.now).lastInsertRowid,
    );
    const status = CLAIM_STATUS_AFTER[d.kind];
    if (status) {
      db.prepare(`UPDATE claims SET status = ?, updated_at = ? WHERE id = ? AND status IN ('open', 'promised', 'arranged', 'disputed')`).run(status, d.now, d.claimId);
    }
    if (d.kind === 'callback' && d.callbackAt) {
      addCallback(db, { debtorId: d.debtorId, claimId: d.claimId, callId: d.callId, reason: 'agent_callback', dueAt: d.callbackAt, now: d.now });
    }
    db.prepare(`INSERT INTO events (at, kind, call_id, data) VALUES (?, 'disposition', ?, ?)`).run(
      d.now,
      d.callId,
      JSON.stringify({ dispositionId: id, agentId: d.agentId, claimId: d.claimId, kind: d.kind, ...(d.source === 'reply' ? { source: 'reply', inboundId: d.inboundId } : {}) }),
    );
    return db.prepare(`SELECT ${COLS} FROM dispositions WHERE id = ?`).get(id) as DispositionRow;
  })();
}

/** creditors: only those on their claims (a token limited to them). */
export function listDispositions(db: Db, f: { agentId?: number; claimId?: number; creditors?: readonly string[] | null } = {}): DispositionRow[] {
  const where: string[] = [];
  const args: (number | string)[] = [];
  if (f.creditors?.length) (where.push('claim_id IN (SELECT k.id FROM claims k WHERE k.creditor IN (SELECT value FROM json_each(?)))'), args.push(JSON.stringify(f.creditors)));
  if (f.agentId !== undefined) (where.push('agent_id = ?'), args.push(f.agentId));
  if (f.claimId !== undefined) (where.push('claim_id = ?'), args.push(f.claimId));
  return db.prepare(`SELECT ${COLS} FROM dispositions ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id`).all(...args) as DispositionRow[];
}

/** The debtor a claim belongs to. */
export function claimDebtor(db: Db, claimId: number): number | undefined {
  return (db.prepare(`SELECT debtor_id AS d FROM claims WHERE id = ?`).get(claimId) as { d: number } | undefined)?.d;
}
