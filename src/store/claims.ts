/** Claims: what a debtor owes a creditor, one per (debtor, invoice ref). */
import type { Db } from './db.ts';
import { ROW } from './imports.ts';

const v = (k: keyof typeof ROW) => `j.value->>${ROW[k]}`;

export class ClaimStore {
  private readonly batchStmt;

  constructor(private readonly db: Db) {
    // The status (paid, disputed…) is Bereik's knowledge and survives a re-import.
    this.batchStmt = db.prepare(
      `INSERT INTO claims (debtor_id, creditor, invoice_ref, amount_cents, due_date, pay_url, created_at, updated_at)
       SELECT d.id, coalesce(${v('creditor')}, ''), ${v('invoiceRef')}, ${v('amountCents')}, ${v('dueDate')}, ${v('payUrl')}, @now, @now
       FROM json_each(@rows) j CROSS JOIN debtors d ON d.external_ref = ${v('debtorRef')} WHERE true
       ON CONFLICT (debtor_id, invoice_ref) DO UPDATE SET creditor = excluded.creditor, amount_cents = excluded.amount_cents,
         due_date = excluded.due_date, pay_url = excluded.pay_url, updated_at = excluded.updated_at`,
    );
  }

  /** Upserts the claims of a batch of import rows (their debtors must exist). */
  upsertBatch(rowsJson: string, now: string): void {
    this.batchStmt.run({ rows: rowsJson, now });
  }

  /** Claims first stored at exactly this timestamp (an import's own). */
  countCreatedAt(at: string): number {
    return this.db.prepare(`SELECT count(*) FROM claims WHERE created_at = ?`).pluck().get(at) as number;
  }

  count(): number {
    return this.db.prepare(`SELECT count(*) FROM claims`).pluck().get() as number;
  }
}
