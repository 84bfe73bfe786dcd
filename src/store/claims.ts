/** Claims: what a debtor owes a creditor, one per (debtor, invoice ref). */
import type { Db } from './db.ts';

export interface ClaimUpsert {
  debtorId: number;
  creditor: string;
  invoiceRef: string;
  amountCents: number;
  dueDate: string | null;
  payUrl: string | null;
}

export class ClaimStore {
  private readonly upsertStmt;

  constructor(private readonly db: Db) {
    // The status (paid, disputed…) is Bereik's knowledge and survives a re-import.
    this.upsertStmt = db
      .prepare(
        `INSERT INTO claims (debtor_id, creditor, invoice_ref, amount_cents, due_date, pay_url, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (debtor_id, invoice_ref) DO UPDATE SET creditor = excluded.creditor, amount_cents = excluded.amount_cents,
           due_date = excluded.due_date, pay_url = excluded.pay_url, updated_at = excluded.updated_at
         RETURNING id`,
      )
      .pluck();
  }

  /** Inserts or updates by (debtor, invoice ref); returns the claim id. */
  upsert(c: ClaimUpsert, now: string): number {
    return this.upsertStmt.get(c.debtorId, c.creditor, c.invoiceRef, c.amountCents, c.dueDate, c.payUrl, now, now) as number;
  }

  /** Claims first stored at exactly this timestamp (an import's own). */
  countCreatedAt(at: string): number {
    return this.db.prepare(`SELECT count(*) FROM claims WHERE created_at = ?`).pluck().get(at) as number;
  }

  count(): number {
    return this.db.prepare(`SELECT count(*) FROM claims`).pluck().get() as number;
  }
}
