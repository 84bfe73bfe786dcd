/**
 * The access audit (issue 17 §2, docs/data-protection.md): who read or changed which
 * debtor's data, and when. Append-only (triggers refuse UPDATE and DELETE), and each entry
 * carries the SHA-256 of the previous entry's hash and its own fields, so an entry edited or
 * removed below the triggers (with the sqlite3 shell, say) breaks the chain at that point:
 * verify() names the first entry that no longer holds. Removing the newest entries leaves a
 * shorter chain that still holds; the count per day in the admin export is what shows that.
 */
import { createHash } from 'node:crypto';
import { statement, type Db } from './db.ts';

export const AUDIT_ACCESS = [
  'debtor_search', 'debtor_view', 'contact_list', 'call_list', 'call_view', 'message_list', 'export', 'disposition', 'screen_pop', 'erasure', 'subject_export', 'audit_export', 'supervise', 'recording_play',
] as const;
export type AuditAccess = (typeof AUDIT_ACCESS)[number];

export interface AuditActor {
  tokenId: number | null;
  tokenName: string;
  role: string;
  address: string | null;
}

export interface NewAuditEntry {
  debtorId: number | null;
  access: AuditAccess;
  detail?: Record<string, unknown> | null;
}

export interface AuditEntry extends AuditActor {
  id: number;
  at: string;
  debtorId: number | null;
  access: AuditAccess;
  detail: Record<string, unknown> | null;
  prevHash: string;
  hash: string;
}

export interface AuditFilter {
  debtorId?: number;
  tokenId?: number;
  from?: string;
  to?: string;
  afterId?: number;
  limit: number;
}

/** The chain's start: the hash before the first entry. */
export const GENESIS = '0'.repeat(64);

const COLS = `id, at, token_id AS tokenId, token_name AS tokenName, role, address, debtor_id AS debtorId, access, detail, prev_hash AS prevHash, hash`;
const LAST = `SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1`;
const INSERT = `INSERT INTO audit_log (id, at, token_id, token_name, role, address, debtor_id, access, detail, prev_hash, hash)
  VALUES (@id, @at, @tokenId, @tokenName, @role, @address, @debtorId, @access, @detail, @prevHash, @hash)`;

type Row = Omit<AuditEntry, 'detail'> & { detail: string | null };

/** The hash of one entry: its predecessor's hash, then its own fields in a fixed order. */
export function entryHash(prevHash: string, e: Omit<Row, 'hash' | 'prevHash'>): string {
  const fields = [e.id, e.at, e.tokenId, e.tokenName, e.role, e.address, e.debtorId, e.access, e.detail];
  return createHash('sha256').update(prevHash).update('\n').update(JSON.stringify(fields)).digest('hex');
}

export class AuditStore {
  constructor(private readonly db: Db) {}

  /** Appends one entry per debtor (or one without a debtor) in one transaction; returns how many. */
  append(actor: AuditActor, at: string, entries: NewAuditEntry[]): number {
    if (!entries.length) return 0;
    return this.db.transaction(() => {
      let prev = (statement(this.db, LAST).get() as { hash: string } | undefined)?.hash ?? GENESIS;
      let id = ((this.db.prepare(`SELECT max(id) AS m FROM audit_log`).get() as { m: number | null }).m ?? 0) + 1;
      for (const e of entries) {
        const row = { id, at, tokenId: actor.tokenId, tokenName: actor.tokenName, role: actor.role, address: actor.address, debtorId: e.debtorId, access: e.access, detail: e.detail ? JSON.stringify(e.detail) : null };
        const hash = entryHash(prev, row);
        statement(this.db, INSERT).run({ ...row, prevHash: prev, hash });
        prev = hash;
        id++;
      }
      return entries.length;
    })();
  }

  /** Oldest first, one page (afterId is the last id of the page before). */
  query(f: AuditFilter): AuditEntry[] {
    const where: string[] = [];
    const p: Record<string, unknown> = { limit: f.limit, afterId: f.afterId ?? 0 };
    if (f.debtorId !== undefined) (where.push('debtor_id = @debtorId'), (p.debtorId = f.debtorId));
    if (f.tokenId !== undefined) (where.push('token_id = @tokenId'), (p.tokenId = f.tokenId));
    if (f.from !== undefined) (where.push('at >= @from'), (p.from = f.from));
    if (f.to !== undefined) (where.push('at < @to'), (p.to = f.to));
    where.push('id > @afterId');
    const rows = this.db.prepare(`SELECT ${COLS} FROM audit_log WHERE ${where.join(' AND ')} ORDER BY id LIMIT @limit`).all(p) as Row[];
    return rows.map((r) => ({ ...r, detail: r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : null }));
  }

  /**
   * Walks the whole chain in id order. Returns the number of entries checked, or the first
   * entry that does not hold: edited (its hash no longer matches its fields), or with an
   * entry before it removed (its prev_hash is not the hash of the entry now before it, or
   * its id does not follow).
   */
  verify(): { ok: true; entries: number } | { ok: false; entries: number; brokenAt: number; reason: 'edited' | 'removed_before' } {
    let prev = GENESIS;
    let lastId = 0;
    let n = 0;
    for (const r of this.db.prepare(`SELECT ${COLS} FROM audit_log ORDER BY id`).iterate() as IterableIterator<Row>) {
      if (r.prevHash !== prev || r.id !== lastId + 1) return { ok: false, entries: n, brokenAt: r.id, reason: 'removed_before' };
      if (entryHash(prev, r) !== r.hash) return { ok: false, entries: n, brokenAt: r.id, reason: 'edited' };
      prev = r.hash;
      lastId = r.id;
      n++;
    }
    return { ok: true, entries: n };
  }
}
