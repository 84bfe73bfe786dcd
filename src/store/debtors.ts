/** Debtors and their phone numbers (one aggregate: phones belong to a debtor). */
import type { Db } from './db.ts';
import type { Language, Risk } from '../campaigns/settings.ts';

export interface DebtorUpsert {
  externalRef: string;
  name: string;
  email: string | null;
  language: Language;
  risk: Risk;
  timeZone: string;
}

export class DebtorStore {
  private readonly upsertStmt;
  private readonly phoneStmt;

  constructor(private readonly db: Db) {
    // Re-importing updates what the back office says about the debtor; the time zone is kept
    // once set (it may have been corrected by hand).
    this.upsertStmt = db
      .prepare(
        `INSERT INTO debtors (external_ref, name, email, language, risk, time_zone, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (external_ref) DO UPDATE SET name = excluded.name, email = excluded.email,
           language = excluded.language, risk = excluded.risk, updated_at = excluded.updated_at
         RETURNING id`,
      )
      .pluck();
    // A known number keeps its learned status (active/dead); only its preference order follows the file.
    this.phoneStmt = db.prepare(
      `INSERT INTO phones (debtor_id, e164, position, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (debtor_id, e164) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at
       WHERE position <> excluded.position`,
    );
  }

  /** Inserts or updates by external ref; returns the debtor id. */
  upsert(d: DebtorUpsert, now: string): number {
    return this.upsertStmt.get(d.externalRef, d.name, d.email, d.language, d.risk, d.timeZone, now, now) as number;
  }

  upsertPhone(debtorId: number, e164: string, position: number, now: string): void {
    this.phoneStmt.run(debtorId, e164, position, now, now);
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
