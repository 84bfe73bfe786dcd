/** Debtors and their phone numbers (one aggregate: phones belong to a debtor). */
import type { Db } from './db.ts';
import { ROW } from './imports.ts';

const v = (k: keyof typeof ROW) => `j.value->>${ROW[k]}`;

export class DebtorStore {
  private readonly batchStmt;
  private readonly batchPhonesStmt;

  constructor(private readonly db: Db) {
    // Re-importing updates what the back office says about the debtor; the time zone is kept
    // once set (it may have been corrected by hand). A known number keeps its learned status
    // (active/dead); only its preference order follows the file.
    this.batchStmt = db.prepare(
      `INSERT INTO debtors (external_ref, name, email, language, risk, time_zone, created_at, updated_at)
       SELECT ${v('debtorRef')}, ${v('name')}, ${v('email')}, ${v('language')}, ${v('risk')}, @timeZone, @now, @now
       FROM json_each(@rows) j WHERE true
       ON CONFLICT (external_ref) DO UPDATE SET name = excluded.name, email = excluded.email,
         language = excluded.language, risk = excluded.risk, updated_at = excluded.updated_at`,
    );
    this.batchPhonesStmt = db.prepare(
      `INSERT INTO phones (debtor_id, e164, position, created_at, updated_at)
       SELECT d.id, p.value, p.key, @now, @now
       FROM json_each(@rows) j CROSS JOIN debtors d ON d.external_ref = ${v('debtorRef')} CROSS JOIN json_each(j.value->${ROW.phones}) p
       WHERE true
       ON CONFLICT (debtor_id, e164) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at
       WHERE position <> excluded.position`,
    );
  }

  /** Upserts the debtors of a batch of import rows, then their phones. */
  upsertBatch(rowsJson: string, timeZone: string, now: string): void {
    this.batchStmt.run({ rows: rowsJson, timeZone, now });
    this.batchPhonesStmt.run({ rows: rowsJson, now });
  }

  /** Debtors first stored at exactly this timestamp (an import's own start time). */
  countCreatedAt(at: string): number {
    return this.db.prepare(`SELECT count(*) FROM debtors WHERE created_at = ?`).pluck().get(at) as number;
  }

  count(): number {
    return this.db.prepare(`SELECT count(*) FROM debtors`).pluck().get() as number;
  }

  countPhones(): number {
    return this.db.prepare(`SELECT count(*) FROM phones`).pluck().get() as number;
  }
}
