/**
 * Callback requests an agent records ("call me back Thursday at 10"): the dialer's
 * callback routing picks them up by due_at. The flows' own "no agent was free" requests
 * go through sqliteCallEffects in calls.ts.
 */
import type { Db } from './db.ts';

export interface CallbackRow {
  id: number;
  debtorId: number;
  claimId: number | null;
  callId: string | null;
  reason: string;
  dueAt: string | null;
  status: 'open' | 'done' | 'cancelled';
  createdAt: string;
}

const COLS = `id, debtor_id AS debtorId, claim_id AS claimId, call_id AS callId, reason, due_at AS dueAt, status, created_at AS createdAt`;

export function addCallback(db: Db, r: { debtorId: number; claimId: number | null; callId: string | null; reason: string; dueAt: string; now: string }): number {
  return Number(
    db
      .prepare(`INSERT INTO callback_requests (debtor_id, claim_id, call_id, reason, due_at, status, created_at) VALUES (?, ?, ?, ?, ?, 'open', ?)`)
      .run(r.debtorId, r.claimId, r.callId, r.reason, r.dueAt, r.now).lastInsertRowid,
  );
}

export function listCallbacksForDebtor(db: Db, debtorId: number): CallbackRow[] {
  return db.prepare(`SELECT ${COLS} FROM callback_requests WHERE debtor_id = ? ORDER BY id`).all(debtorId) as CallbackRow[];
}
