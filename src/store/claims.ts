/** Claims: what a debtor owes a creditor, one per (debtor, invoice ref). */
import type { Statement } from 'better-sqlite3';
import type { Db } from './db.ts';
import { STAGE } from './imports.ts';

export class ClaimStore {
  private staged?: { upsert: Statement; phones?: Statement };

  constructor(private readonly db: Db) {}

  /** Prepared on first use: the staging tables exist once an import has created them (ImportStage). */
  private stagedStatements() {
    if (!this.staged) {
      // The status (paid, disputed…) is Bereik's knowledge and survives a re-import.
      const upsert = this.db.prepare(
        `INSERT INTO claims (debtor_id, creditor, invoice_ref, amount_cents, due_date, pay_url, payment_reference, created_at, updated_at)
         SELECT d.id, s.creditor, s.invoice_ref, s.amount_cents, s.due_date, s.pay_url, s.payment_reference, @now, @now
         FROM ${STAGE} s CROSS JOIN debtors d ON d.external_ref = s.debtor_ref WHERE s.rowid > @from
         ON CONFLICT (debtor_id, invoice_ref) DO UPDATE SET creditor = excluded.creditor, amount_cents = excluded.amount_cents,
           due_date = excluded.due_date, pay_url = excluded.pay_url,
           payment_reference = coalesce(excluded.payment_reference, claims.payment_reference), updated_at = excluded.updated_at`,
      );
      this.staged = { upsert };
    }
    return this.staged;
  }

  /** Upserts the claims of the staged rows after rowid `from` (this batch's) by (debtor, invoice ref); the debtors must be upserted first. */
  upsertStaged(now: string, from: number): void {
    this.stagedStatements().upsert.run({ now, from });
  }

  /** Claims first stored at exactly this timestamp (an import's own). */
  countCreatedAt(at: string): number {
    return this.db.prepare(`SELECT count(*) FROM claims WHERE created_at = ?`).pluck().get(at) as number;
  }

  /** The creditor a claim belongs to, or undefined when there is no such claim. */
  creditorOf(claimId: number): string | undefined {
    return (this.db.prepare(`SELECT creditor FROM claims WHERE id = ?`).get(claimId) as { creditor: string } | undefined)?.creditor;
  }

  count(): number {
    return this.db.prepare(`SELECT count(*) FROM claims`).pluck().get() as number;
  }
}
