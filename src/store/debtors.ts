/** Debtors and their phone numbers (one aggregate: phones belong to a debtor). */
import type { Statement } from 'better-sqlite3';
import { statement, type Db } from './db.ts';
import { OPEN_CLAIM_SQL, type Language, type PhoneStatus, type Risk } from './types.ts';
import { STAGE, STAGE_PHONES } from './imports.ts';

export interface PhoneRow {
  id: number;
  e164: string;
  status: PhoneStatus;
  position: number;
}

const PHONES = `SELECT id, e164, status, position FROM phones WHERE debtor_id = ? ORDER BY position, id`;
const DNC = `SELECT 1 AS listed FROM dnc WHERE e164 = ?`;
const GET = `SELECT id, external_ref AS externalRef, name, email, language, risk, time_zone AS timeZone FROM debtors WHERE id = ?`;

// amountCents: what is still open (a partial payment lowers it), as a message tells it.
const OPEN_CLAIMS = `SELECT id, creditor, invoice_ref AS invoiceRef, amount_cents - paid_cents AS amountCents, pay_url AS payUrl, due_date AS dueDate
  FROM claims WHERE debtor_id = ? AND status IN ${OPEN_CLAIM_SQL} ORDER BY due_date IS NULL, due_date, id`;

/** An open claim as a message tells it. */
export interface OpenClaim {
  id: number;
  creditor: string;
  invoiceRef: string;
  amountCents: number;
  payUrl: string | null;
  dueDate: string | null;
}

/** A debtor as messages need them: how to reach them and in which language. */
export interface DebtorRow {
  id: number;
  externalRef: string;
  name: string;
  email: string | null;
  language: Language;
  risk: Risk;
  timeZone: string;
}
// A number calls find dead that the SMSC could not deliver to either is invalid (issue 12: dead on both).
const PHONE_STATUS = `UPDATE phones SET status = CASE WHEN @status = 'dead' AND sms_undeliverable_at IS NOT NULL THEN 'invalid' ELSE @status END,
  updated_at = @at WHERE id = @id`;

export class DebtorStore {
  private staged?: { upsert: Statement; phones?: Statement };

  constructor(private readonly db: Db) {}

  /** Prepared on first use: the staging tables exist once an import has created them (ImportStage). */
  private stagedStatements() {
    if (!this.staged) {
      // Re-importing updates what the back office says about the debtor; the time zone is kept
      // once set (it may have been corrected by hand). One upsert per debtor per batch (its
      // last row wins), not one per invoice.
      const upsert = this.db.prepare(
        `INSERT INTO debtors (external_ref, name, email, language, risk, time_zone, created_at, updated_at)
         SELECT debtor_ref, name, email, language, risk, @timeZone, @now, @now FROM ${STAGE}
         WHERE rowid IN (SELECT max(rowid) FROM ${STAGE} WHERE rowid > @from GROUP BY debtor_ref)
         ON CONFLICT (external_ref) DO UPDATE SET name = excluded.name, email = excluded.email,
           language = excluded.language, risk = excluded.risk, updated_at = excluded.updated_at`,
      );
      // A known number keeps its learned status (active/dead); only its preference order follows the file.
      const phones = this.db.prepare(
        `INSERT INTO phones (debtor_id, e164, position, created_at, updated_at)
         SELECT d.id, p.e164, p.position, @now, @now FROM ${STAGE_PHONES} p CROSS JOIN debtors d ON d.external_ref = p.debtor_ref WHERE true
         ON CONFLICT (debtor_id, e164) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at
         WHERE position <> excluded.position`,
      );
      this.staged = { upsert, phones };
    }
    return this.staged;
  }

  /** Upserts the debtors of the staged rows after rowid `from` (this batch's), by external ref. */
  upsertStaged(timeZone: string, now: string, from: number): void {
    this.stagedStatements().upsert.run({ timeZone, now, from });
  }

  /** Upserts the phones staged since the last flush; their debtors must be upserted already. */
  upsertStagedPhones(now: string): void {
    this.stagedStatements().phones!.run({ now });
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

  /** The debtor's phones in preference order. */
  phonesOf(debtorId: number): PhoneRow[] {
    return statement(this.db, PHONES).all(debtorId) as PhoneRow[];
  }

  /** Whether this number is on the do-not-call list. */
  get(id: number): DebtorRow | undefined {
    return statement(this.db, GET).get(id) as DebtorRow | undefined;
  }

  /** The debtor's open claims, oldest due first: one message tells them all. */
  openClaims(debtorId: number): OpenClaim[] {
    return statement(this.db, OPEN_CLAIMS).all(debtorId) as OpenClaim[];
  }

  onDnc(e164: string): boolean {
    return statement(this.db, DNC).get(e164) !== undefined;
  }

  /** What a call taught about a phone (invalid on cause 1, active when someone answered). */
  setPhoneStatus(phoneId: number, status: PhoneStatus, at: string): void {
    statement(this.db, PHONE_STATUS).run({ status, at, id: phoneId });
  }
}
