/** Contacts: a claim to be worked in a campaign (campaign × claim), as the import creates and the API lists them. */
import type { Statement } from 'better-sqlite3';
import type { Db } from './db.ts';
import type { ContactStatus } from './dialer.ts';
import { STAGE } from './imports.ts';


export interface ContactListItem {
  id: number;
  status: ContactStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastOutcome: string | null;
  result: string | null;
  debtorId: number;
  debtorRef: string;
  debtorName: string;
  language: string;
  risk: string;
  claimId: number;
  invoiceRef: string;
  creditor: string;
  amountCents: number;
  dueDate: string | null;
  claimStatus: string;
  /** The debtor's phones in preference order, E.164. */
  phones: string[];
}

export class ContactStore {
  private staged?: { upsert: Statement; phones?: Statement };

  constructor(private readonly db: Db) {}

  /** Prepared on first use: the staging tables exist once an import has created them (ImportStage). */
  private stagedStatements() {
    if (!this.staged) {
      // A contact already being worked keeps its attempts and status; the import only notes it saw it again.
      const upsert = this.db.prepare(
        `INSERT INTO contacts (campaign_id, claim_id, debtor_id, import_id, created_at, updated_at)
         SELECT @campaignId, k.id, d.id, @importId, @now, @now
         FROM ${STAGE} s CROSS JOIN debtors d ON d.external_ref = s.debtor_ref
           CROSS JOIN claims k ON k.debtor_id = d.id AND k.invoice_ref = s.invoice_ref
         WHERE true
         ON CONFLICT (campaign_id, claim_id) DO UPDATE SET import_id = excluded.import_id, updated_at = excluded.updated_at`,
      );
      this.staged = { upsert };
    }
    return this.staged;
  }

  /** Adds the claims of every row staged since the last flush to the campaign; their debtors and claims must be upserted first. */
  upsertStaged(campaignId: number, importId: number, now: string): void {
    this.stagedStatements().upsert.run({ campaignId, importId, now });
  }

  /** Keyset paging on id (cursor = last id seen), so deep pages stay fast. */
  list(campaignId: number, opts: { limit: number; after: number; status?: ContactStatus }): ContactListItem[] {
    const rows = this.db
      .prepare(
        `SELECT c.id, c.status, c.attempts, c.next_attempt_at AS nextAttemptAt, c.last_attempt_at AS lastAttemptAt,
                c.last_outcome AS lastOutcome, c.result, d.id AS debtorId, d.external_ref AS debtorRef, d.name AS debtorName,
                d.language, d.risk, k.id AS claimId, k.invoice_ref AS invoiceRef, k.creditor, k.amount_cents AS amountCents,
                k.due_date AS dueDate, k.status AS claimStatus,
                (SELECT group_concat(e164, ' ') FROM (SELECT e164 FROM phones p WHERE p.debtor_id = d.id ORDER BY position, id)) AS phones
         FROM contacts c JOIN debtors d ON d.id = c.debtor_id JOIN claims k ON k.id = c.claim_id
         WHERE c.campaign_id = @campaignId AND c.id > @after ${opts.status ? 'AND c.status = @status' : ''}
         ORDER BY c.id LIMIT @limit`,
      )
      .all({ campaignId, after: opts.after, limit: opts.limit, status: opts.status }) as (Omit<ContactListItem, 'phones'> & { phones: string | null })[];
    return rows.map((r) => ({ ...r, phones: r.phones ? r.phones.split(' ') : [] }));
  }

  count(campaignId: number, status?: ContactStatus): number {
    return this.db
      .prepare(`SELECT count(*) FROM contacts WHERE campaign_id = ? ${status ? 'AND status = ?' : ''}`)
      .pluck()
      .get(...(status ? [campaignId, status] : [campaignId])) as number;
  }
}
