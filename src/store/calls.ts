/**
 * The calls table: one row per attempt or inbound call, kept current while the call
 * lives (state, answer/end times, AMD verdict, keys, result), plus the few rows a call
 * leaves behind elsewhere (SMS outbox, callback requests, a dispute, message heard).
 */
import { inTransaction, statement, type Db } from './db.ts';

import { OPEN_CLAIM_SQL, type CallDirection, type CallDisposition, type CallState } from './types.ts';

export type { CallDirection, CallDisposition, CallState } from './types.ts';

export interface CallRow {
  id: string;
  direction: CallDirection;
  campaignId: number | null;
  contactId: number | null;
  debtorId: number | null;
  phoneId: number | null;
  agentId: number | null;
  parentCallId: string | null;
  channelId: string | null;
  fromNumber: string | null;
  toNumber: string | null;
  state: CallState;
  disposition: CallDisposition | null;
  amdStatus: string | null;
  amdCause: string | null;
  hangupCause: number | null;
  hangupText: string | null;
  dtmfPath: string;
  messageHeard: boolean;
  identityConfirmed: boolean;
  result: string | null;
  createdAt: string;
  answeredAt: string | null;
  endedAt: string | null;
}

export type NewCall = Pick<CallRow, 'id' | 'direction' | 'createdAt'> & Partial<Omit<CallRow, 'id' | 'direction' | 'createdAt'>>;
export type CallPatch = Partial<Omit<CallRow, 'id' | 'direction' | 'createdAt'>>;

/** camelCase field → column. Also the whitelist of what update() may touch. */
const COLUMNS: Record<keyof CallRow, string> = {
  id: 'id',
  direction: 'direction',
  campaignId: 'campaign_id',
  contactId: 'contact_id',
  debtorId: 'debtor_id',
  phoneId: 'phone_id',
  agentId: 'agent_id',
  parentCallId: 'parent_call_id',
  channelId: 'channel_id',
  fromNumber: 'from_number',
  toNumber: 'to_number',
  state: 'state',
  disposition: 'disposition',
  amdStatus: 'amd_status',
  amdCause: 'amd_cause',
  hangupCause: 'hangup_cause',
  hangupText: 'hangup_text',
  dtmfPath: 'dtmf_path',
  messageHeard: 'message_heard',
  identityConfirmed: 'identity_confirmed',
  result: 'result',
  createdAt: 'created_at',
  answeredAt: 'answered_at',
  endedAt: 'ended_at',
};
const BOOLEAN_FIELDS = new Set<keyof CallRow>(['messageHeard', 'identityConfirmed']);

type RawRow = Record<string, unknown>;

function fromRaw(r: RawRow): CallRow {
  const out: Record<string, unknown> = {};
  for (const [field, col] of Object.entries(COLUMNS)) {
    const v = r[col];
    out[field] = BOOLEAN_FIELDS.has(field as keyof CallRow) ? v === 1 : v;
  }
  return out as unknown as CallRow;
}

function toDb(field: keyof CallRow, v: unknown): unknown {
  if (BOOLEAN_FIELDS.has(field)) return v ? 1 : 0;
  return v ?? null;
}

export function createCall(db: Db, row: NewCall): CallRow {
  const fields = (Object.keys(row) as (keyof CallRow)[]).filter((f) => COLUMNS[f] && row[f] !== undefined);
  const cols = fields.map((f) => COLUMNS[f]);
  // A transaction, so the score-per-action rollup takes the call in the same commit (src/store/action-rollup.ts).
  inTransaction(db, () => statement(db, `INSERT INTO calls (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(...fields.map((f) => toDb(f, row[f]))));
  return getCall(db, row.id)!;
}

export function updateCall(db: Db, id: string, patch: CallPatch): void {
  const p = patch as Partial<CallRow>;
  const fields = (Object.keys(p) as (keyof CallRow)[]).filter(
    (f) => COLUMNS[f] && f !== 'id' && f !== 'direction' && f !== 'createdAt' && p[f] !== undefined,
  );
  if (fields.length === 0) return;
  inTransaction(db, () => statement(db, `UPDATE calls SET ${fields.map((f) => `${COLUMNS[f]} = ?`).join(', ')} WHERE id = ?`).run(...fields.map((f) => toDb(f, p[f])), id));
}

export function getCall(db: Db, id: string): CallRow | undefined {
  const r = statement(db, 'SELECT * FROM calls WHERE id = ?').get(id) as RawRow | undefined;
  return r ? fromRaw(r) : undefined;
}

export interface CallListFilter {
  /** This call only (with creditors: is it one of theirs?). */
  id?: string;
  campaignId?: number;
  contactId?: number;
  debtorId?: number;
  direction?: CallDirection;
  /** Only calls still dialling, ringing or up. */
  live?: boolean;
  /** Only calls about these creditors' claims (a call without a contact: its debtor owes one of them). */
  creditors?: string[] | null;
  limit?: number;
  /** Paging, newest first: calls after this (created_at, id) position. Without beforeId, strictly before created_at. */
  before?: string;
  beforeId?: string;
}

/** Newest first. */
export function listCalls(db: Db, f: CallListFilter = {}): CallRow[] {
  const where: string[] = [];
  const args: unknown[] = [];
  if (f.id !== undefined) (where.push('id = ?'), args.push(f.id));
  if (f.campaignId !== undefined) (where.push('campaign_id = ?'), args.push(f.campaignId));
  if (f.contactId !== undefined) (where.push('contact_id = ?'), args.push(f.contactId));
  if (f.debtorId !== undefined) (where.push('debtor_id = ?'), args.push(f.debtorId));
  if (f.direction !== undefined) (where.push('direction = ?'), args.push(f.direction));
  if (f.live) where.push("state IN ('dialing', 'ringing', 'up')");
  if (f.creditors?.length) {
    // Checked per call by key, not as IN (every contact of the creditor): the live view lists a
    // few live calls, and building that list cost ~100 ms per 70,000 of its contacts.
    where.push(`(EXISTS (SELECT 1 FROM contacts c JOIN claims k ON k.id = c.claim_id WHERE c.id = calls.contact_id AND k.creditor IN (SELECT value FROM json_each(?)))
      OR (contact_id IS NULL AND EXISTS (SELECT 1 FROM claims k WHERE k.debtor_id = calls.debtor_id AND k.creditor IN (SELECT value FROM json_each(?)))))`);
    args.push(JSON.stringify(f.creditors), JSON.stringify(f.creditors));
  }
  if (f.before !== undefined && f.beforeId !== undefined) (where.push('(created_at < ? OR (created_at = ? AND id < ?))'), args.push(f.before, f.before, f.beforeId));
  else if (f.before !== undefined) (where.push('created_at < ?'), args.push(f.before));
  const sql =
    `SELECT * FROM calls ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ` +
    `ORDER BY created_at DESC, id DESC LIMIT ?`;
  return (db.prepare(sql).all(...args, Math.min(Math.max(f.limit ?? 100, 1), 1000)) as RawRow[]).map(fromRaw);
}

/**
 * What a debtor's choices leave behind outside the calls table, each written with its
 * event. Times come from the caller (`at`), never from the database's clock.
 */
export interface CallEffectRepository {
  requestCallback(r: { callId: string; debtorId: number; claimId: number | null; reason: string; at: string }): void;
  recordDispute(r: { callId: string; claimId: number; at: string }): void;
  messageHeard(r: { callId: string; contactId: number | null; claimId: number; at: string }): void;
}

/**
 * What a call leaves behind outside the calls table. Times come from the caller's clock
 * (`at`), never from SQLite, so tests on a scaled or fake clock stay consistent.
 */
export function sqliteCallEffects(db: Db): CallEffectRepository {
  const callback = db.prepare(
    `INSERT INTO callback_requests (debtor_id, claim_id, call_id, reason, status, created_at) VALUES (?, ?, ?, ?, 'open', ?)`,
  );
  const dispute = db.prepare(`UPDATE claims SET status = 'disputed', updated_at = ? WHERE id = ? AND status IN ${OPEN_CLAIM_SQL}`);
  const heardContact = db.prepare(`UPDATE contacts SET message_heard_at = ?, updated_at = ? WHERE id = ?`);
  // An inbound call has no contact of its own: every contact of the claim has now been heard.
  const heardClaim = db.prepare(`UPDATE contacts SET message_heard_at = ?, updated_at = ? WHERE claim_id = ?`);
  const event = db.prepare(`INSERT INTO events (at, kind, call_id, data) VALUES (?, ?, ?, ?)`);
  return {
    requestCallback(r) {
      const at = r.at;
      callback.run(r.debtorId, r.claimId, r.callId, r.reason, at);
      event.run(at, 'callback_requested', r.callId, JSON.stringify({ claimId: r.claimId, reason: r.reason }));
    },
    recordDispute(r) {
      const at = r.at;
      dispute.run(at, r.claimId);
      event.run(at, 'dispute', r.callId, JSON.stringify({ claimId: r.claimId }));
    },
    messageHeard(r) {
      if (r.contactId !== null) heardContact.run(r.at, r.at, r.contactId);
      else heardClaim.run(r.at, r.at, r.claimId);
      event.run(r.at, 'message_heard', r.callId, JSON.stringify({ claimId: r.claimId }));
    },
  };
}

/** Calls by direction and disposition (for /metrics). */
export function countCallsByDisposition(db: Db): Array<{ direction: CallDirection; disposition: CallDisposition | null; n: number }> {
  return db.prepare('SELECT direction, disposition, count(*) AS n FROM calls GROUP BY direction, disposition ORDER BY direction, disposition').all() as Array<{
    direction: CallDirection;
    disposition: CallDisposition | null;
    n: number;
  }>;
}
